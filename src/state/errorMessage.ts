/** The ui turns caught values into messages through state (it may use core for types only). */
export { errorMessage } from '../core/errors';
