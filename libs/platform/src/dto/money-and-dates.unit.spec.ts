import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsBusinessDate, IsMoney, MoneyBody } from './money-and-dates';

class OrderDto {
  @IsMoney() orderAmount!: MoneyBody;
  @IsBusinessDate() businessDate!: string;
}

const valid = { orderAmount: { amountMinor: '6000000', currency: 'EUR' }, businessDate: '2026-11-22' };
const problems = (body: object) =>
  Object.fromEntries(
    validateSync(plainToInstance(OrderDto, body)).map((error) => [error.property, Object.values(error.constraints ?? {}).join('; ')]),
  );

describe('request money and dates', () => {
  it('accepts money as a string of minor units with its currency and a real calendar date', () => {
    expect(problems(valid)).toEqual({});
  });

  it("refuses money @arc/money's parseMoney refuses, with its messages", () => {
    expect(problems({ ...valid, orderAmount: { amountMinor: 12.5, currency: 'EUR' } }).orderAmount).toMatch(
      /orderAmount\.amountMinor must be a string/,
    );
    expect(problems({ ...valid, orderAmount: { amountMinor: '1', currency: 'XXY' } }).orderAmount).toMatch(/orderAmount\.currency/);
    expect(problems({ ...valid, orderAmount: { amountMinor: '1', currency: 'EUR', fx: 1 } }).orderAmount).toMatch(
      /fx is not a money field/,
    );
    expect(problems({ ...valid, orderAmount: '60000' }).orderAmount).toBeDefined();
  });

  it('refuses dates that are not YYYY-MM-DD calendar dates', () => {
    expect(problems({ ...valid, businessDate: '2026-02-30' }).businessDate).toMatch(/YYYY-MM-DD/);
    expect(problems({ ...valid, businessDate: '22.11.2026' }).businessDate).toMatch(/YYYY-MM-DD/);
  });
});
