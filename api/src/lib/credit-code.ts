// The rule lives in @qihub/db so that the demo seed and the API check codes with the same code.
export * from '@qihub/db/credit-code';
