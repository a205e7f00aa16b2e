import { isISO31661Alpha2, registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * An ISO 3166-1 alpha-2 country code that is officially assigned ('DE', not 'de', not 'ZZ'): the list is
 * class-validator's (validator.js), so it is maintained with the dependency rather than copied here.
 * Currencies are checked against ISO 4217 by @arc/money.
 */
export function isCountryCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && isISO31661Alpha2(value);
}

export function IsCountryCode(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCountryCode',
      target: target.constructor,
      propertyName: String(propertyName),
      ...(options ? { options } : {}),
      validator: {
        validate: (value: unknown) => isCountryCode(value),
        defaultMessage: (args) => `${args?.property ?? 'country'} must be an assigned ISO 3166-1 alpha-2 country code in capitals, like DE`,
      },
    });
  };
}
