/** The actor of commands the credit service issues itself (reactions to events, defaults it publishes). */
export const CREDIT_SYSTEM_ACTOR = 'system:credit';
