/** Seeded synthetic books on a venue snapshot's real instruments (pure): universe, strategies, generators. */
export {
  instrumentUniverse, type InstrumentUniverse, type UniverseCoin, type UniverseExpiry,
} from './universe.ts';
export {
  coveredCall, protectivePut, shortStrangle, shortStraddle, calendarSpread, basisTrade, perpLong, longCall, marketMaker,
  futuresCalendar, coinSize, pickExpiry, strikeNear, type Strategy, type StrategyLegs,
} from './strategies.ts';
export {
  accountStream, generateAccounts, generateAccountList, generateBook, generateBookViaAccounts, DEFAULT_DESKS, type DeskProfile,
  type SyntheticBookOptions,
} from './generateAccounts.ts';
