// Runs INSIDE each fresh isolate, after isolate-harden.js and before the operator's module (not a Node module).
// Evaluates to a function the worker calls once; it returns the runner and takeBody, which the worker keeps as
// References on its side: operator code can neither name nor replace them.
//
// Security notes
// - Everything here that touches operator values runs inside the runner call, under the job's CPU timeout: getters,
//   proxies and valueOf hooks in the output run here, never during the copy out of the isolate.
// - The runner returns only inert values: a string and numbers; takeBody returns genuine, non-resizable ArrayBuffers
//   (checked with intrinsic getters). Those copy out without running code. The host parses and validates the result again (decode-output.ts); nothing here is trusted
//   for that.
// - Operator code may tamper with globals and prototypes after this file ran. The intrinsics the runner needs are
//   captured first; tampering with the rest can at worst corrupt the operator's own output, which the host validates.
(function makeRunner(describeThrown, asOf) {
  'use strict';
  const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, freeze, keys: objectKeys } = Object;
  const ReflectApply = Reflect.apply;
  const isArray = Array.isArray;
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const F64 = Float64Array;
  const I32 = Int32Array;
  const AB = ArrayBuffer;
  const NativeMap = Map;
  const mapGet = Map.prototype.get;
  const mapSet = Map.prototype.set;
  const isInteger = Number.isInteger;
  const typedArrayProto = getPrototypeOf(I32.prototype);
  const tagOf = getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag).get;
  const lengthOf = getOwnPropertyDescriptor(typedArrayProto, 'length').get;
  const copyInto = typedArrayProto.set;
  const byteLengthOf = getOwnPropertyDescriptor(AB.prototype, 'byteLength').get;
  const resizableDescriptor = getOwnPropertyDescriptor(AB.prototype, 'resizable');
  const resizableOf = resizableDescriptor === undefined ? undefined : resizableDescriptor.get;
  const bufferOf = getOwnPropertyDescriptor(typedArrayProto, 'buffer').get;
  const byteOffsetOf = getOwnPropertyDescriptor(typedArrayProto, 'byteOffset').get;
  const typedByteLengthOf = getOwnPropertyDescriptor(typedArrayProto, 'byteLength').get;
  const NativeRangeError = RangeError;

  // The runner: columns in, map called, output validated and packed into one ArrayBuffer plus a JSON header.
  const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
  const MAX_COLUMNS = 256;
  const MAX_LABEL = 256;

  function Refusal(id) {
    this.id = id;
  }
  const refuse = (id) => {
    throw new Refusal(id);
  };
  let tooLarge = false;
  // the output buffers of the last successful run, until the worker has taken them
  let pending = [];

  const isPlainSection = (value) => value !== null && typeof value === 'object' && !isArray(value);
  const tag = (value) => ReflectApply(tagOf, value, []);
  const lengthOfTyped = (value) => ReflectApply(lengthOf, value, []);

  function numbers(value, length) {
    const t = tag(value);
    if (t === 'Float64Array' || t === 'Int32Array') {
      if (lengthOfTyped(value) !== length) refuse('LENGTH');
      return value;
    }
    if (!isArray(value)) refuse('NUMBER_TYPE');
    if (value.length !== length) refuse('LENGTH');
    const out = new F64(length);
    for (let i = 0; i < length; i++) {
      const x = value[i];
      if (typeof x === 'number') out[i] = x;
      else if (x === null || x === undefined) out[i] = NaN;
      else refuse('NUMBER_VALUE');
    }
    return out;
  }

  function int32s(value, length, what) {
    if (tag(value) === 'Int32Array') {
      if (length >= 0 && lengthOfTyped(value) !== length) refuse('LENGTH');
      return value;
    }
    if (!isArray(value)) refuse(what);
    const n = value.length;
    if (length >= 0 && n !== length) refuse('LENGTH');
    const out = new I32(n);
    for (let i = 0; i < n; i++) {
      const x = value[i];
      if (!isInteger(x) || x < -2147483648 || x > 2147483647) refuse(what);
      out[i] = x;
    }
    return out;
  }

  function labels(value, budget) {
    if (!isArray(value)) refuse('KEY_TYPE');
    const n = value.length;
    const out = [];
    let chars = 0;
    for (let i = 0; i < n; i++) {
      const s = value[i];
      if (typeof s !== 'string') refuse('KEY_TYPE');
      if (s.length > MAX_LABEL) refuse('LABEL_LENGTH');
      chars += s.length + 3;
      if (chars > budget) {
        tooLarge = true;
        refuse('TOO_LARGE');
      }
      defineProperty(out, i, { value: s, writable: true, enumerable: true, configurable: true });
    }
    return [out, chars];
  }

  // string[] → codes + dictionary, in first-seen order
  function encodeStrings(value, length, budget) {
    if (value.length !== length) refuse('LENGTH');
    const codes = new I32(length);
    const index = new NativeMap();
    const dictionary = [];
    let chars = 0;
    for (let i = 0; i < length; i++) {
      const s = value[i];
      if (s === null || s === undefined) {
        codes[i] = -1;
        continue;
      }
      if (typeof s !== 'string') refuse('KEY_VALUE');
      let code = ReflectApply(mapGet, index, [s]);
      if (code === undefined) {
        if (s.length > MAX_LABEL) refuse('LABEL_LENGTH');
        code = dictionary.length;
        chars += s.length + 3;
        if (chars > budget) {
          tooLarge = true;
          refuse('TOO_LARGE');
        }
        ReflectApply(mapSet, index, [s, code]);
        defineProperty(dictionary, code, { value: s, writable: true, enumerable: true, configurable: true });
      }
      codes[i] = code;
    }
    return [codes, dictionary, chars];
  }

  function section(value) {
    if (value === undefined || value === null) return [];
    if (!isPlainSection(value)) refuse('SECTION');
    const names = objectKeys(value);
    if (names.length > MAX_COLUMNS) refuse('TOO_MANY_COLUMNS');
    const out = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (typeof name !== 'string' || !NAME.test(name) || name === '__proto__') refuse('NAME');
      out[out.length] = [name, value[name]];
    }
    return out;
  }

  function serialize(result, rowCount, maxOutputBytes) {
    if (result === null || typeof result !== 'object') refuse('NOT_OBJECT');
    // read each part once: a getter that answers differently on a second read gains nothing
    const rowsIn = result.rows;
    const keysIn = section(result.keys);
    const measuresIn = section(result.measures);
    const featuresIn = section(result.features);
    const labelIn = result.label;
    if (typeof result.then === 'function') refuse('PROMISE');
    if (keysIn.length + measuresIn.length + featuresIn.length === 0) refuse('EMPTY');

    let length = rowCount;
    let rows = null;
    if (rowsIn !== undefined && rowsIn !== null) {
      rows = int32s(rowsIn, -1, 'ROWS');
      length = lengthOfTyped(rows);
      if (length > rowCount) refuse('ROWS');
    }
    // parts: [kind, name, source typed array, element bytes, extra header fields]
    const parts = [];
    let headerChars = 256;
    const seen = new NativeMap();
    const claim = (name) => {
      if (ReflectApply(mapGet, seen, [name]) !== undefined) refuse('DUPLICATE_NAME');
      ReflectApply(mapSet, seen, [name, 1]);
      headerChars += name.length + 48;
    };
    if (rows !== null) parts[parts.length] = ['rows', '', rows, 4, null];
    for (let i = 0; i < keysIn.length; i++) {
      const [name, key] = keysIn[i];
      claim(name);
      const budget = maxOutputBytes - headerChars;
      if (tag(key) === 'Int32Array') {
        if (lengthOfTyped(key) !== length) refuse('LENGTH');
        parts[parts.length] = ['keys', name, key, 4, 'int'];
      } else if (isArray(key)) {
        const [codes, dictionary, chars] = encodeStrings(key, length, budget);
        headerChars += chars;
        parts[parts.length] = ['keys', name, codes, 4, dictionary];
      } else if (key !== null && typeof key === 'object') {
        const codesIn = key.codes;
        const dictionaryIn = key.dictionary;
        const codes = int32s(codesIn, length, 'KEY_TYPE');
        const [dictionary, chars] = labels(dictionaryIn, budget);
        headerChars += chars;
        parts[parts.length] = ['keys', name, codes, 4, dictionary];
      } else refuse('KEY_TYPE');
    }
    for (let i = 0; i < measuresIn.length; i++) {
      const [name, column] = measuresIn[i];
      claim(name);
      parts[parts.length] = ['measures', name, numbers(column, length), 8, null];
    }
    for (let i = 0; i < featuresIn.length; i++) {
      const [name, column] = featuresIn[i];
      claim(name);
      parts[parts.length] = ['features', name, numbers(column, length), 8, null];
    }
    if (labelIn !== undefined && labelIn !== null) parts[parts.length] = ['label', '', numbers(labelIn, length), 8, null];

    let bytes = 0;
    for (let i = 0; i < parts.length; i++) {
      bytes += Math.ceil((length * parts[i][3]) / 8) * 8;
      if (bytes + headerChars > maxOutputBytes) {
        tooLarge = true;
        refuse('TOO_LARGE');
      }
    }
    // One ArrayBuffer per part, taken out one by one through takeBody. An operator's array that is exactly its own
    // buffer of the right type (the usual `new Float64Array(n)`) goes out as it is; anything else (a view into a
    // larger buffer, Int32 measures, odd lengths needing padding) is copied into a fresh buffer of the exact size.
    const bodies = [];
    const header = { v: 1, length, bytes, rows: null, keys: [], measures: [], features: [], label: null };
    let offset = 0;
    for (let i = 0; i < parts.length; i++) {
      const [kind, name, source, size, extra] = parts[i];
      const partBytes = Math.ceil((length * size) / 8) * 8;
      let buffer = ownBuffer(source, size === 4 ? 'Int32Array' : 'Float64Array', partBytes);
      if (buffer === null) {
        buffer = new AB(partBytes);
        const target = size === 4 ? new I32(buffer, 0, length) : new F64(buffer, 0, length);
        // genuine typed arrays: Int32 → Float64 converts, same type is a memcpy; no operator code can run here
        ReflectApply(copyInto, target, [source]);
      }
      defineProperty(bodies, i, { value: buffer, writable: true, enumerable: true, configurable: true });
      if (kind === 'rows') header.rows = { offset };
      else if (kind === 'label') header.label = { offset };
      else if (kind === 'keys') {
        const k = extra === 'int' ? { name, type: 'int', offset } : { name, type: 'dict', offset, dictionary: extra };
        header.keys[header.keys.length] = k;
      } else header[kind][header[kind].length] = { name, offset };
      offset += partBytes;
    }
    const text = jsonStringify(header);
    if (typeof text !== 'string') refuse('MALFORMED');
    if (text.length + bytes > maxOutputBytes) {
      tooLarge = true;
      refuse('TOO_LARGE');
    }
    pending = bodies;
    return [0, text, bodies.length];
  }

  /**
   * The buffer of a genuine typed array of `type` when the array covers all of it and it is `bytes` long, a plain
   * (not resizable) ArrayBuffer; else null. Only intrinsic getters are used: no operator code runs here.
   */
  function ownBuffer(source, type, bytes) {
    try {
      if (bytes === 0 || tag(source) !== type || ReflectApply(byteOffsetOf, source, []) !== 0) return null;
      const buffer = ReflectApply(bufferOf, source, []);
      if (ReflectApply(byteLengthOf, buffer, []) !== bytes) return null; // throws for a SharedArrayBuffer
      if (resizableOf !== undefined && ReflectApply(resizableOf, buffer, [])) return null;
      if (ReflectApply(typedByteLengthOf, source, []) !== bytes) return null;
      return buffer;
    } catch {
      return null;
    }
  }

  function columnsFrom(buffer, layout) {
    const columns = {};
    const n = layout.rowCount;
    for (let i = 0; i < layout.columns.length; i++) {
      const c = layout.columns[i];
      let value;
      if (c.type === 'f64') value = new F64(buffer, c.offset, n);
      else if (c.type === 'i32') value = new I32(buffer, c.offset, n);
      else value = { codes: new I32(buffer, c.offset, n), dictionary: c.dictionary };
      defineProperty(columns, c.name, { value, writable: true, enumerable: true, configurable: true });
    }
    return columns;
  }

  /**
   * Returns [0, header, number of bodies] | [1, error class or null, line, column] | [2, refusal id] | [3] (output too
   * large) | [4] (an allocation failed: the memory limit). After [0, …] the worker takes each body with takeBody.
   */
  function runModel(namespace, buffer, layoutText, paramsText, maxOutputBytes) {
    tooLarge = false;
    pending = [];
    try {
      const layout = jsonParse(layoutText);
      const columns = columnsFrom(buffer, layout);
      const params = jsonParse(paramsText);
      const info = freeze({ rowCount: layout.rowCount, asOf });
      const map = namespace.map;
      if (typeof map !== 'function') return [2, 'NO_MAP'];
      const result = map(columns, params, info);
      return serialize(result, layout.rowCount, maxOutputBytes);
    } catch (thrown) {
      if (tooLarge) return [3];
      try {
        if (thrown instanceof Refusal) return [2, typeof thrown.id === 'string' ? thrown.id : 'MALFORMED'];
        if (thrown instanceof NativeRangeError && thrown.message === 'Array buffer allocation failed') return [4];
      } catch {}
      return describeThrown(thrown);
    }
  }

  /**
   * The i-th output buffer of the last run, returned alone so that the worker copies it out of the isolate as one
   * ArrayBuffer (a single memcpy) instead of through the structured serializer (copy into its buffer, copy out).
   */
  function takeBody(i) {
    const body = pending[i];
    pending[i] = undefined;
    return body;
  }

  return [runModel, takeBody];
});
