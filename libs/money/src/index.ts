export { CURRENCY_CODES, UnknownCurrencyError, currencyCode, isCurrencyCode, minorUnitExponent, type CurrencyCode } from './currency';
export {
  CurrencyMismatchError,
  add,
  compare,
  equals,
  isNegative,
  isPositive,
  isZero,
  max,
  min,
  money,
  negate,
  subtract,
  sum,
  zero,
  type Money,
} from './money';
export {
  MoneyParseError,
  formatMajor,
  minorUnitsProblem,
  parseMajor,
  parseMoney,
  toJson,
  type MoneyJson,
  type ParseMoneyOptions,
} from './json';
export { MAX_AMOUNT_MINOR, MAX_FIGURE_MINOR, isWithinAmountBound, type MoneyBound } from './bounds';
export {
  BASIS_POINTS_PER_UNIT,
  compareRatioToBasisPoints,
  divideRounded,
  exactNumberOrNull,
  percentOf,
  ratioBasisPoints,
  type Rounding,
} from './ratio';
export { allocate } from './allocate';
