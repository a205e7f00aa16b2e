export { pdfToText } from './pdf-text';
