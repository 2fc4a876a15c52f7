// Generation speed of node-llama-cpp@3.22.1 on the same prebuilt llama.cpp libraries, model, prompt, context and threads
// as `explainer llm bench --parallel 1`: prompt + N greedy tokens (end-of-text ignored), best of R runs, one sequence.
// Usage: node node-bench.mjs MODEL THREADS TOKENS PROMPT REPEAT
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const [modelPath, threadsArg, tokensArg, prompt, repeatArg] = process.argv.slice(2);
const threads = Number(threadsArg), tokens = Number(tokensArg), repeat = Number(repeatArg);

const llama = await getLlama({ gpu: false, build: "never", usePrebuiltBinaries: true, logLevel: LlamaLogLevel.error, maxThreads: threads });
const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
const context = await model.createContext({ contextSize: 512, batchSize: 512, threads: { ideal: threads, min: threads }, sequences: 1 });
const sequence = context.getSequence();
let input = model.tokenize(prompt);
if (model.tokens.bos != null && model.tokens.shouldPrependBosToken) input = [model.tokens.bos, ...input];

async function run(n) {
    await sequence.clearHistory();
    const start = performance.now();
    let count = 0;
    for await (const _ of sequence.evaluate(input, { temperature: 0 })) {
        if (++count >= n) break;
    }
    return { count, seconds: (performance.now() - start) / 1000 };
}

await run(4); // warm-up
let best = { count: 0, seconds: Infinity };
for (let i = 0; i < repeat; i++) {
    const r = await run(tokens);
    if (r.seconds < best.seconds) best = r;
}

console.log(JSON.stringify({
    engine: "node-llama-cpp@3.22.1",
    binaries: llama.buildType + " " + (llama.gpu || "cpu"),
    llamaCpp: llama.llamaCppRelease?.release,
    threads: context.currentThreads,
    promptTokens: input.length,
    tokens: best.count,
    seconds: best.seconds,
    tokensPerSecond: best.count / best.seconds,
}));
await context.dispose();
await model.dispose();
await llama.dispose();
