/**
 * Pricing benchmark: our batch Black-Scholes kernels (src/pricing/batch.ts) against the JavaScript packages
 * `black-scholes` and `implied-volatility`, against `quantlib-wasm` where it can be driven, and against a vectorised
 * numpy + scipy.special.ndtr Black-Scholes run as a subprocess on the same inputs. Prints one table; see
 * scripts/bench/README.md for what each row means.
 *
 *   npx tsx scripts/bench/pricing.ts            # n = 1e6 options
 *   npx tsx scripts/bench/pricing.ts --quick    # n = 1e5
 *   options: --seed N (default 20260205), --reps K (timed runs per row, default 5)
 *
 * Every timing is the best of K runs after an untimed warm-up, measured with performance.now() on one thread.
 */
import {
  allocateGreeksBuffers, bsGreeksBatch, bsPriceBatch, impliedVolBatch, type BsImpliedVolBatch,
} from '../../src/pricing/index.ts';
import { priceDifference, roundTrip, type PriceDifference, type RoundTrip } from './support/accuracy.ts';
import { headOfBatch, makeBenchInputs } from './support/inputs.ts';
import { runNumpyPeer } from './support/numpyPeer.ts';
import {
  loadBlackScholes, loadImpliedVolatility, packageVersion, peerImpliedVols, peerPrices, probeQuantLib,
} from './support/peers.ts';
import { formatCount, formatMs, formatRate, formatRel, renderTable, type Row } from './support/table.ts';
import { bestOf, formatLoad, machineInfo, millionsPerSecond, type Timing } from './support/timing.ts';

/** numpy + ndtr price-only throughput measured on this machine class (methods.md §7.2), options/s in millions. */
const NUMPY_ANCHOR_MILLIONS = 21.2;
/** Implied-vol goal: options/s in millions, at full precision. */
const IMPLIED_VOL_GOAL_MILLIONS = 3;
/**
 * "Full precision" for the implied-vol goal: median round-trip error within 4 ulps of the vol, and every kept option
 * within the methods.md §8 tolerance max(1e-13, 4 cond) (see support/accuracy.ts).
 */
const FULL_PRECISION_MEDIAN = 4 * Number.EPSILON;

interface Args {
  readonly quick: boolean;
  readonly seed: number;
  readonly reps: number;
}

function parseArgs(argv: readonly string[]): Args {
  let quick = false;
  let seed = 20260205;
  let reps = 5;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): number => {
      const v = Number(a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]);
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${a}: expected a non-negative integer`);
      return v;
    };
    if (a === '--quick') quick = true;
    else if (a.startsWith('--seed')) seed = value();
    else if (a.startsWith('--reps')) reps = Math.max(1, value());
    else if (a === '--help' || a === '-h') {
      console.log('usage: npx tsx scripts/bench/pricing.ts [--quick] [--seed N] [--reps K]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return { quick, seed, reps };
}

interface Measured {
  readonly library: string;
  readonly operation: string;
  readonly n: number;
  readonly timing: Timing | null;
  /** Our timing and n for the same operation, to form the ratios; null on our own rows. */
  readonly ours: { readonly timing: Timing; readonly n: number } | null;
  readonly accuracy: string;
  readonly goal: string;
}

function rowOf(m: Measured): Row {
  if (!m.timing) return [m.library, m.operation, '-', '-', '-', '-', '-', '-', m.accuracy, m.goal];
  const rate = millionsPerSecond(m.n, m.timing.bestMs);
  const cpuRate = millionsPerSecond(m.n, m.timing.bestCpuMs);
  const ratio = m.ours === null ? '1' : ratioText(millionsPerSecond(m.ours.n, m.ours.timing.bestMs) / rate);
  const cpuRatio = m.ours === null ? '1' : ratioText(millionsPerSecond(m.ours.n, m.ours.timing.bestCpuMs) / cpuRate);
  return [
    m.library, m.operation, formatCount(m.n), formatMs(m.timing.bestMs), formatRate(rate), ratio, formatRate(cpuRate),
    cpuRatio, m.accuracy, m.goal,
  ];
}

function ratioText(r: number): string {
  return r >= 100 ? r.toExponential(1) : r.toPrecision(3);
}

function priceAccuracyText(d: PriceDifference): string {
  return `max rel ${formatRel(d.quotedMaxRel)} quoted / ${formatRel(d.allMaxRel)} all`;
}

function roundTripText(rt: RoundTrip): string {
  return `round trip max ${formatRel(rt.maxRel)}, median ${formatRel(rt.medianRel)}`;
}

function roundTripNote(label: string, rt: RoundTrip): string {
  return `${label}: kept ${rt.kept} of ${rt.n} (excluded ${rt.excludedTimeValue} with time value <= 1e-10 of the ` +
    `price, ${rt.excludedSubnormal} with a subnormal price); of the kept, ${rt.failed} without a finite vol; ` +
    `rel error max ${formatRel(rt.maxRel)}, p99 ${formatRel(rt.p99Rel)}, median ${formatRel(rt.medianRel)}; ` +
    `worst error = ${rt.maxInConditionUnits.toPrecision(3)} x max(eps, cond); ${rt.outsideTolerance} outside ` +
    'max(1e-13, 4 cond)';
}

function timingSpread(t: Timing): string {
  return `${formatMs(t.bestMs)}..${formatMs(t.worstMs)} ms`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const n = args.quick ? 100_000 : 1_000_000;
  const nBlackScholes = args.quick ? 2_000 : 10_000;
  const nImpliedVolatility = args.quick ? 100 : 500;
  const reps = args.reps;

  const start = machineInfo();
  console.log(`Aftershock pricing benchmark${args.quick ? ' (--quick)' : ''}`);
  console.log(`  node ${start.node}, ${start.platform}, ${start.cores} logical cores, CPU: ${start.cpuModel}`);
  console.log(`  load average at start (1/5/15 min): ${formatLoad(start.loadAverage)}`);
  if (start.loadAverage[0] > 0.5 * start.cores) {
    console.log(`  NOTE: the machine is loaded (1-min load ${start.loadAverage[0].toFixed(2)} on ${start.cores} ` +
      'cores): other work shares the CPU, so wall-clock throughputs are lower bounds and noisy; the CPU-time ' +
      'columns are steadier.');
  }
  console.log(`  n = ${n}, seed ${args.seed}, best of ${reps} timed runs after an untimed warm-up (>= 1 run, ~0.25 s), one thread\n`);

  const { batch } = makeBenchInputs(n, args.seed);

  // --- ours -------------------------------------------------------------------------------------------------
  const prices = new Float64Array(n);
  const priceTiming = bestOf(reps, () => bsPriceBatch(batch, prices));
  const greeks = allocateGreeksBuffers(n);
  const greeksTiming = bestOf(reps, () => bsGreeksBatch(batch, greeks));
  const ivInput: BsImpliedVolBatch = {
    length: n, price: prices, spot: batch.spot, strike: batch.strike, expiry: batch.expiry, rate: batch.rate,
    carry: batch.carry, isCall: batch.isCall,
  };
  const vols = new Float64Array(n);
  const status = new Int8Array(n);
  const ivTiming = bestOf(reps, () => impliedVolBatch(ivInput, vols, status));
  const ours = roundTrip(batch, prices, greeks.vega, vols, n);
  const greeksVsPrice = priceDifference(prices, greeks.price, n);
  const oursPrice = { timing: priceTiming, n };
  const oursGreeks = { timing: greeksTiming, n };
  const oursIv = { timing: ivTiming, n };

  // --- numpy (run before the JS peers so the goal can refer to it) ------------------------------------------------
  const numpy = runNumpyPeer(batch, reps);

  const measured: Measured[] = [];
  const notes: string[] = [];
  const oursPriceWall = millionsPerSecond(n, priceTiming.bestMs);
  const oursPriceCpu = millionsPerSecond(n, priceTiming.bestCpuMs);
  let pricingGoal: string;
  if (numpy.ok) {
    const wall = oursPriceWall >= millionsPerSecond(n, numpy.price.bestMs);
    const cpu = oursPriceCpu >= millionsPerSecond(n, numpy.price.bestCpuMs);
    pricingGoal = `${wall ? 'yes' : 'no'} (vs numpy this run; by CPU time: ${cpu ? 'yes' : 'no'})`;
  } else {
    pricingGoal = `${oursPriceWall >= NUMPY_ANCHOR_MILLIONS ? 'yes' : 'no'} (vs anchor ${NUMPY_ANCHOR_MILLIONS} M/s)`;
  }
  const ivFullPrecision = ours.medianRel <= FULL_PRECISION_MEDIAN && ours.outsideTolerance === 0;
  const ivWall = millionsPerSecond(n, ivTiming.bestMs) >= IMPLIED_VOL_GOAL_MILLIONS;
  const ivCpu = millionsPerSecond(n, ivTiming.bestCpuMs) >= IMPLIED_VOL_GOAL_MILLIONS;
  const ivGoal = `${ivWall && ivFullPrecision ? 'yes' : 'no'} (>= ${IMPLIED_VOL_GOAL_MILLIONS} M/s: ` +
    `${ivWall ? 'yes' : 'no'}, by CPU time ${ivCpu ? 'yes' : 'no'}; full precision: ${ivFullPrecision ? 'yes' : 'no'})`;

  measured.push(
    { library: 'aftershock', operation: 'price (bsPriceBatch)', n, timing: priceTiming, ours: null,
      accuracy: 'reference', goal: pricingGoal },
    { library: 'aftershock', operation: 'price+greeks (bsGreeksBatch)', n, timing: greeksTiming, ours: null,
      accuracy: `price vs bsPriceBatch ${formatRel(greeksVsPrice.allMaxRel)}`, goal: '' },
    { library: 'aftershock', operation: 'implied vol (impliedVolBatch)', n, timing: ivTiming, ours: null,
      accuracy: roundTripText(ours), goal: ivGoal },
  );
  notes.push(roundTripNote('aftershock implied vol', ours));

  if (numpy.ok) {
    measured.push(
      { library: 'numpy+ndtr', operation: 'price', n, timing: numpy.price, ours: oursPrice,
        accuracy: priceAccuracyText(priceDifference(prices, numpy.prices, n)), goal: '' },
      { library: 'numpy+ndtr', operation: 'price+greeks', n, timing: numpy.greeks, ours: oursGreeks,
        accuracy: 'same price formula as above', goal: '' },
    );
    notes.push(`numpy peer: ${numpy.versions}; wall time spread price ${timingSpread(numpy.price)}, greeks ` +
      `${timingSpread(numpy.greeks)}; scipy implied vol not measured (scipy has no vectorised Black inverter)`);
  } else {
    measured.push({ library: 'numpy+ndtr', operation: 'price, price+greeks', n: 0, timing: null, ours: null,
      accuracy: `not run: ${numpy.reason}`, goal: '' });
  }

  // --- JS peers -----------------------------------------------------------------------------------------------
  try {
    const lib = loadBlackScholes();
    const sub = headOfBatch(batch, nBlackScholes);
    const out = new Float64Array(sub.length);
    const t = bestOf(reps, () => peerPrices(lib, sub, sub.length, out));
    measured.push({
      library: `black-scholes ${packageVersion('black-scholes')}`, operation: 'price', n: sub.length, timing: t,
      ours: oursPrice, accuracy: priceAccuracyText(priceDifference(prices, out, sub.length)), goal: '',
    });
  } catch (error) {
    measured.push({ library: 'black-scholes', operation: 'price', n: 0, timing: null, ours: null,
      accuracy: `not run: ${String(error)}`, goal: '' });
  }

  try {
    const lib = loadImpliedVolatility();
    const sub = headOfBatch(batch, nImpliedVolatility);
    const out = new Float64Array(sub.length);
    const t = bestOf(reps, () => peerImpliedVols(lib, sub, prices, sub.length, out));
    const rt = roundTrip(sub, prices, greeks.vega, out, sub.length);
    const oursSameSubset = roundTrip(sub, prices, greeks.vega, vols, sub.length);
    measured.push({
      library: `implied-volatility ${packageVersion('implied-volatility')}`, operation: 'implied vol', n: sub.length,
      timing: t, ours: oursIv, accuracy: roundTripText(rt), goal: '',
    });
    notes.push(roundTripNote(`implied-volatility (first ${sub.length} options)`, rt));
    notes.push(`aftershock on the same ${sub.length} options: round trip max ${formatRel(oursSameSubset.maxRel)}, ` +
      `median ${formatRel(oursSameSubset.medianRel)}, ${oursSameSubset.outsideTolerance} outside tolerance`);
  } catch (error) {
    measured.push({ library: 'implied-volatility', operation: 'implied vol', n: 0, timing: null, ours: null,
      accuracy: `not run: ${String(error)}`, goal: '' });
  }

  // --- QuantLib ---------------------------------------------------------------------------------------------------
  const ql = await probeQuantLib();
  measured.push({ library: `quantlib-wasm ${ql.version}`, operation: 'price, implied vol', n: 0, timing: null,
    ours: null, accuracy: 'not run: no option pricing exported (see note)', goal: '' });
  notes.push(`quantlib-wasm ${ql.version}: ${ql.reason}`);

  const end = machineInfo();
  const header: Row = [
    'library', 'operation', 'n', `best of ${reps} ms`, 'M opt/s', 'ours/peer', 'M opt/s CPU', 'ours/peer CPU',
    'accuracy vs ours', 'goal met?',
  ];
  console.log(renderTable(header, measured.map(rowOf)));
  console.log('\nNotes:');
  console.log(`- our wall time spread (best..worst of ${reps}): price ${timingSpread(priceTiming)}, greeks ` +
    `${timingSpread(greeksTiming)}, implied vol ${timingSpread(ivTiming)}`);
  console.log('- M opt/s = n / best wall time; "CPU" columns = n / best process CPU time (user + system), which ' +
    'excludes time the scheduler gave to other processes. ours/peer = our throughput / the peer\'s for the same ' +
    'operation (> 1: we are faster). Peers run on the first n options of the same book where n is smaller (they are ' +
    'too slow for the full book); throughput per option is comparable across n.');
  console.log('- "quoted" = options with our price >= 1e-6 (1e-8 of spot); "all" = every option whose price is a ' +
    'positive normal double, deep wings included. Neither JS peer takes a yield: they get spot e^{-qT}.');
  for (const note of notes) console.log(`- ${note}`);
  console.log(`- goals: price-only at least as fast as numpy+ndtr (anchor ${NUMPY_ANCHOR_MILLIONS} M/s on this ` +
    `machine class, unloaded; ours ${formatRate(oursPriceWall)} M/s wall, ${formatRate(oursPriceCpu)} M/s CPU); ` +
    `implied vol >= ${IMPLIED_VOL_GOAL_MILLIONS} M/s at full precision (median error <= 4 ulps and no kept option ` +
    'outside max(1e-13, 4 cond), cond = eps P / (sigma vega), the vol error a 1-ulp price change causes). The ' +
    '"goal met?" verdict uses wall time as specified; the CPU-time verdict is given beside it.');
  console.log(`- load average at end (1/5/15 min): ${formatLoad(end.loadAverage)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
