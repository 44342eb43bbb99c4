// Runs ONNX Runtime (CPU) on a list of models: the reference executor of
// scripts/modeltests.py.
//
//   node run_ort.js JOBS.json
//
// JOBS.json is an array of {model, inputs: [{name, dtype, dims, file}], out_dir,
// exact_sums}
// where each file holds the input's raw little-endian bytes. For each job the
// outputs are written to out_dir/output_<i>.bin (graph order) and described in
// out_dir/ort.json as {ok, ms, exact_sums, outputs: [{name, dtype, dims}]} or {ok: false,
// error}. One thread, default graph optimizations, nothing cached; exact int32
// sums where a job asks and ONNX Runtime can (EXACT_SUMS below). A job may add
// session configuration entries as config:
// {"session.disable_quant_qdq": "1"}.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const TYPED = {
  float32: Float32Array, float64: Float64Array,
  int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
  int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
  bool: Uint8Array, float16: Uint16Array,
};

function readTensor(input) {
  const buf = fs.readFileSync(input.file);
  const Typed = TYPED[input.dtype];
  if (!Typed) throw new Error(`input ${input.name}: dtype ${input.dtype} not handled`);
  // Copy into a fresh, aligned ArrayBuffer.
  const bytes = new Uint8Array(buf.length);
  bytes.set(buf);
  const data = new Typed(bytes.buffer);
  return new ort.Tensor(input.dtype, data, input.dims);
}

// A session of the model with the session configuration entries config.
// onnxruntime-node takes them as a tree: {session: {x: v}} for "session.x".
function createSession(model, config) {
  const extra = {};
  for (const [key, value] of Object.entries(config)) {
    let node = extra;
    const parts = key.split('.');
    for (const part of parts.slice(0, -1)) node = node[part] = node[part] || {};
    node[parts[parts.length - 1]] = value;
  }
  return ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    extra,
  });
}

// A job with exact_sums: true asks for exact int32 sums of u8 x s8 products
// in QLinearConv, QLinearMatMul, QGemm and their QDQ fusions on every x86
// CPU: without VNNI, MLAS's AVX2 kernels add pairs of products with
// VPMADDUBSW, which saturates at int16, so the results depend on the CPU
// (onnxruntime issues 14642 and 5849; the option is onnxruntime PR 12088).
// Only quantized models ask: the option also moves some float results by an
// ulp. With it, ONNX Runtime has no kernel for some int8 x int8 QOperator
// nodes (QLinearConv, QLinearMatMul, QGemm with int8 activations): a model it
// refuses so runs without it, and ort.json's exact_sums says which it was.
const EXACT_SUMS = 'session.x64quantprecision';

async function runJob(job) {
  const start = process.hrtime.bigint();
  const config = job.config || {};
  let session, exactSums = config[EXACT_SUMS] === '1';
  if (job.exact_sums && !(EXACT_SUMS in config)) {
    try {
      session = await createSession(job.model, Object.assign({ [EXACT_SUMS]: '1' }, config));
      exactSums = true;
    } catch (e) {
      session = undefined;
    }
  }
  if (!session) session = await createSession(job.model, config);
  const feeds = {};
  for (const input of job.inputs) feeds[input.name] = readTensor(input);
  const results = await session.run(feeds);
  const outputs = [];
  session.outputNames.forEach((name, i) => {
    const t = results[name];
    const d = t.data;
    const bytes = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    fs.writeFileSync(path.join(job.out_dir, `output_${i}.bin`), bytes);
    outputs.push({ name, dtype: t.type, dims: t.dims.map(Number) });
  });
  if (session.release) await session.release();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ok: true, ms, exact_sums: exactSums, outputs };
}

async function main() {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const job of jobs) {
    let result;
    try {
      result = await runJob(job);
    } catch (e) {
      result = { ok: false, error: String(e && e.message ? e.message : e) };
    }
    fs.writeFileSync(path.join(job.out_dir, 'ort.json'), JSON.stringify(result));
  }
}

main().catch((e) => {
  console.error(`run_ort.js: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
