/** Messages, files and ratings between a customer and a lab on an order. */
export { conversationRoutes } from './routes.ts';
