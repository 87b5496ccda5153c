import { PDFParse } from 'pdf-parse';

/** The text of a PDF (a commission form, a report), as a reader would copy it out. */
export async function pdfText(bytes: Buffer | Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}
