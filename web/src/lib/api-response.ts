// What an endpoint of the generated OpenAPI types answers with 200, as the web's type files name it.

export type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;
