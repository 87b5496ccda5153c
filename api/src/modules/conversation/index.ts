/** Messages, files and ratings between a customer and a lab on an order. */
export { conversationRoutes } from './routes.ts';
/** The checked multipart upload, for other modules that take a file (admission certificates). */
export { receiveUpload, type ReceivedUpload } from './upload.ts';
export { contentDisposition } from './files.ts';
