import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import { MoneyParseError, parseMoney, type Money, type MoneyJson } from '@arc/money';

/** Money in requests and responses: integer minor units as a string, with the ISO 4217 currency. */
export class MoneyBody implements MoneyJson {
  @ApiProperty({ example: '6000000', description: 'integer minor units (6000000 = 60,000.00 EUR)' }) amountMinor!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

/** A `{ amountMinor, currency }` object that @arc/money's parseMoney accepts (its messages become the field errors). */
export function IsMoney(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    let problems: string[] = [];
    registerDecorator({
      name: 'isMoney',
      target: target.constructor,
      propertyName: String(propertyName),
      ...(options ? { options } : {}),
      validator: {
        validate(value: unknown, args) {
          try {
            parseMoney(value, args?.property ?? 'money');
            problems = [];
            return true;
          } catch (error) {
            problems = error instanceof MoneyParseError ? [...error.problems] : [String(error)];
            return false;
          }
        },
        defaultMessage: (args) =>
          problems.length > 0
            ? problems.join('; ')
            : `${args?.property ?? 'money'} must be money like {"amountMinor":"6000000","currency":"EUR"}`,
      },
    });
  };
}

/** A real calendar date written 'YYYY-MM-DD'. */
export function IsBusinessDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isBusinessDate',
      target: target.constructor,
      propertyName: String(propertyName),
      ...(options ? { options } : {}),
      validator: {
        validate(value: unknown) {
          try {
            parseBusinessDate(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a calendar date written YYYY-MM-DD`,
      },
    });
  };
}

/** For values a validated DTO already vouched for. */
export const toMoney = (json: MoneyJson, field: string): Money => parseMoney(json, field);
export const toBusinessDate = (value: string): BusinessDate => parseBusinessDate(value);
