/**
 * `twner train bert` end to end (notebook §8–10, fixed): tokenization report, fine-tuning on
 * train with model selection on dev, one evaluation on test, and the run folder.
 */
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { useBackend } from '@twner/backend';
import { formatTokenizationReport, tokenizationReport } from '@twner/bert-ner';
import { writeConlleval } from '@twner/conll';
import { historySpec, perTypeF1Spec, renderChart } from './charts';
import { loadWnut16, type TaggedTweet } from './data';
import { encodeExamples } from './encode';
import { fineTune } from './fine-tune';
import { loadBertForTraining } from './load-model';
import type { TrainBertOptions } from './options';
import { progressBar } from './progress';
import { type BertRunInfo, runDirFor, writeJson } from './run-dir';
import { ESTIMATE_AFTER_STEPS, ThroughputMeter, expectedEpochLine } from './throughput';
import { scoreTags } from './scores';
import { BertTagger, type WordTags } from './tagger';

export interface TrainBertResult {
  runDir: string;
  testF1: number;
  devF1: number;
  trainSeconds: number;
  testTweetsPerSecond: number;
}

interface TimedTags extends WordTags {
  seconds: number;
  tweetsPerSecond: number;
}

async function tagTimed(tagger: BertTagger, tweets: readonly TaggedTweet[], label: string): Promise<TimedTags> {
  const bar = progressBar();
  bar.start(tweets.length, label);
  const t0 = performance.now();
  const out = await tagger.tagWords(tweets.map((t) => t.words), (done) => bar.update(done));
  const seconds = (performance.now() - t0) / 1000;
  bar.stop();
  return { ...out, seconds, tweetsPerSecond: tweets.length / Math.max(seconds, 1e-9) };
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}`;

/** `p` relative to the working directory when inside it, else absolute. */
export function shortPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') ? p : rel;
}

export async function trainBert(options: TrainBertOptions, log: (line: string) => void, command: string): Promise<TrainBertResult> {
  const created = new Date();
  const backend = await useBackend(options.backend);
  log(`backend: ${backend.name}`);

  const data = await loadWnut16(options.dataDir, { limitTrain: options.limitTrain, limitEval: options.limitEval }, log);
  log(`data: ${data.dir}: train ${data.train.length}, dev ${data.dev.length}, test ${data.test.length} tweets` +
    (options.limitTrain > 0 || options.limitEval > 0 ? ' (limited by --limit-train/--limit-eval: a smoke run, not a result)' : ''));
  const labels = data.labels;

  const loaded = await loadBertForTraining({ model: options.model, fromScratch: options.fromScratch, config: options.config, labels, seed: options.seed });
  const { model, tokenizer } = loaded;
  for (const note of loaded.notes) log(note);
  try {
    if (options.maxLength > model.config.maxPositionEmbeddings) {
      log(`--max-length ${options.maxLength} > max_position_embeddings ${model.config.maxPositionEmbeddings}: using ${model.config.maxPositionEmbeddings}`);
      options = { ...options, maxLength: model.config.maxPositionEmbeddings };
    }
    const runDir = await runDirFor(options.out, options.outDir, 'bert', created);
    log(`run folder: ${runDir}`);

    // §10.1–10.2: what WordPiece does to tweets.
    const template = await tokenizer.sequenceTemplate();
    const specials = {
      prefix: template.prefix.map((p) => ({ token: p.token, id: p.id })),
      suffix: template.suffix.map((p) => ({ token: p.token, id: p.id })),
      pad: tokenizer.padToken,
      unk: tokenizer.unkToken ?? null,
    };
    const report = await tokenizationReport(tokenizer, data.train.map((t) => t.words), { examples: 15 });
    const specialLine =
      `special tokens (from the tokenizer): ${[...specials.prefix, ...specials.suffix].map((s) => `${s.token}=${s.id}`).join(' ')}, ` +
      `pad ${specials.pad.token}=${specials.pad.id}` + (specials.unk ? `, unk ${specials.unk.token}=${specials.unk.id}` : '');
    const tokenizationText = `# Tokenization of the training tweets\n\n${specialLine}\n\n${formatTokenizationReport(report)}\n`;
    log('');
    log(tokenizationText.trimEnd());
    log('');
    await writeFile(join(runDir, 'tokenization.md'), tokenizationText);

    const examples = await encodeExamples(tokenizer, data.train, {
      label2id: model.config.label2id,
      labelAllTokens: options.labelAllTokens,
      maxLength: options.maxLength,
    });
    const cut = examples.filter((e) => e.truncated).length;
    log(`labels on ${options.labelAllTokens ? 'every sub-token (--label-all-tokens)' : 'the first sub-token of each word'}; ` +
      `word predictions by --aggregation ${options.aggregation}; ${cut} training tweet(s) cut at --max-length ${options.maxLength}`);

    const tagger = new BertTagger(model, tokenizer, { aggregation: options.aggregation, maxLength: options.maxLength });
    const gold = (tweets: readonly TaggedTweet[]) => tweets.map((t) => t.tags);
    const bar = progressBar();
    const stepsPerEpoch = Math.ceil(examples.length / options.batchSize);
    const epochTokens = examples.reduce((n, e) => n + e.inputIds.length, 0);
    const meter = new ThroughputMeter();
    const fit = await fineTune(
      model,
      examples,
      tokenizer.padToken.id,
      async () => {
        const dev = await tagTimed(tagger, data.dev, 'dev  ');
        const s = scoreTags(gold(data.dev), dev.tags).overall;
        return { f1: s.f1, precision: s.precision, recall: s.recall };
      },
      options,
      {
        onEpochStart: (epoch, steps) => bar.start(steps, `epoch ${epoch}/${options.epochs}`),
        onStep: (step, loss, { tokens, seconds }) => {
          meter.add(tokens, seconds);
          bar.update(((step - 1) % stepsPerEpoch) + 1, { info: `loss ${loss.toFixed(4)}, ${Math.round(meter.tokensPerSecond).toLocaleString('en-US')} tokens/s` });
          if (step === Math.min(ESTIMATE_AFTER_STEPS, stepsPerEpoch)) log(expectedEpochLine(meter, epochTokens, stepsPerEpoch));
        },
        onEpochTrained: () => bar.stop(),
        onEpochEnd: (r) =>
          log(`epoch ${r.epoch}: train loss ${r.trainLoss.toFixed(4)}, dev P/R/F1 ${pct(r.precision)}/${pct(r.recall)}/${pct(r.f1)}` +
            `${r.improved ? ' (best so far)' : ''}, ${r.steps} steps, ${r.seconds.toFixed(1)} s`),
      },
    );
    log(`best dev F1 ${pct(fit.bestDevF1)} at epoch ${fit.bestEpoch}` +
      (fit.stoppedEarly ? ` (stopped early: ${options.patience} epoch(s) without improvement)` : '') +
      `; those weights are restored. Training took ${fit.seconds.toFixed(1)} s.`);

    // The selected model, scored once on dev and once on test.
    const dev = await tagTimed(tagger, data.dev, 'dev  ');
    const devScores = scoreTags(gold(data.dev), dev.tags);
    const test = await tagTimed(tagger, data.test, 'test ');
    const testScores = scoreTags(gold(data.test), test.tags);
    log('');
    log(`test (${data.test.length} tweets): P ${pct(testScores.overall.precision)}  R ${pct(testScores.overall.recall)}  F1 ${pct(testScores.overall.f1)}` +
      `  — tagged at ${test.tweetsPerSecond.toFixed(1)} tweets/s${test.truncated > 0 ? `, ${test.truncated} tweet(s) cut at --max-length` : ''}`);
    log(testScores.report.trimEnd());

    const modelDir = join(runDir, 'model');
    await model.savePretrained(modelDir, { tokenizerDir: loaded.dir });
    const info: BertRunInfo = {
      kind: 'bert',
      created: created.toISOString(),
      modelDir: 'model',
      aggregation: options.aggregation,
      labelAllTokens: options.labelAllTokens,
      maxLength: options.maxLength,
      source: options.model,
      fromCheckpoint: loaded.fromCheckpoint,
      command,
    };
    await writeJson(join(runDir, 'run.json'), info);
    await writeFile(join(runDir, 'test-report.txt'), testScores.report);
    await writeFile(join(runDir, 'dev-report.txt'), devScores.report);
    await writeFile(join(runDir, 'test-conlleval.txt'), testScores.conlleval);
    const asConll = (tweets: readonly TaggedTweet[]) =>
      tweets.map((t) => ({ tokens: t.words.map((w, i) => ({ text: w, tag: t.tags[i], columns: [] })) }));
    await writeFile(join(runDir, 'test-predictions.conll'), writeConlleval(asConll(data.test), test.tags));
    await writeFile(join(runDir, 'dev-predictions.conll'), writeConlleval(asConll(data.dev), dev.tags));
    const charts = [
      ...(await renderChart(historySpec(fit.history, fit.bestEpoch, `BERT fine-tuning (${options.model}${options.fromScratch ? ', from scratch' : ''})`), join(runDir, 'charts', 'history'))),
      ...(await renderChart(
        perTypeF1Spec(Object.entries(testScores.perType).map(([type, s]) => ({ model: 'bert', type, f1: s.f1 })), 'BERT: test F1 per entity type'),
        join(runDir, 'charts', 'test-f1-per-type'),
      )),
    ];
    const metrics = {
      model: {
        source: options.model,
        dir: loaded.dir,
        fromCheckpoint: loaded.fromCheckpoint,
        pretrained: loaded.fromCheckpoint ? 'as the checkpoint' : false,
        notes: loaded.notes,
        parameters: model.numParameters,
        hiddenSize: model.config.hiddenSize,
        layers: model.config.numHiddenLayers,
        labels: Object.values(model.config.id2label),
      },
      backend: backend.name,
      data: { dir: data.dir, train: data.train.length, dev: data.dev.length, test: data.test.length, limited: options.limitTrain > 0 || options.limitEval > 0 },
      options: { ...options, dataDir: undefined },
      specialTokens: specials,
      tokenization: report,
      training: { ...fit, trainTweetsTruncated: cut },
      dev: { ...devScores, report: undefined, conlleval: undefined, tweetsPerSecond: dev.tweetsPerSecond },
      test: {
        ...testScores,
        report: undefined,
        conlleval: undefined,
        seconds: test.seconds,
        tweetsPerSecond: test.tweetsPerSecond,
        truncated: test.truncated,
      },
    };
    await writeJson(join(runDir, 'metrics.json'), metrics);
    log('');
    log(`wrote ${shortPath(runDir)}/: model/ (savePretrained), run.json, metrics.json, tokenization.md, test-report.txt, dev-report.txt, ` +
      `test-conlleval.txt, test-predictions.conll, dev-predictions.conll, ${charts.filter((c) => !c.endsWith('.json')).map((c) => relative(runDir, c)).join(', ')}`);
    return { runDir, testF1: testScores.overall.f1, devF1: devScores.overall.f1, trainSeconds: fit.seconds, testTweetsPerSecond: test.tweetsPerSecond };
  } finally {
    model.dispose();
  }
}
