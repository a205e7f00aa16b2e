/** Credit classes, A the best; a later letter is a worse class. Its own file so every credit contract can import it. */
export const CREDIT_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type CreditClass = (typeof CREDIT_CLASSES)[number];
