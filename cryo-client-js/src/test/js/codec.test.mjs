// The codec against every applicable entry of the golden vectors (cryo-v1.md §15), plus
// malformed and random input, which may only ever raise CryoFrameError.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CryoFrameError, decodeFrame, encodeFrame, Layout } from "../../main/js/cryo.mjs";

const vectors = JSON.parse(readFileSync(new URL("../resources/vectors/cryo-v1.json", import.meta.url), "utf8"));

const hex = (bytes) => Buffer.from(bytes).toString("hex");
const unhex = (text) => new Uint8Array(Buffer.from(text, "hex"));

/** Turns a vector's JSON fields into the frame object the codec uses. */
function frameOf(type, fields) {
	const frame = { type: type.replace(/\(1\.4(\.2)?\)$/, ""), sid: BigInt(fields.sid) };
	for (const [key, value] of Object.entries(fields)) {
		switch (key) {
			case "sid":
			case "behaviourCode":
				break;
			case "flags":
			case "start":
			case "end":
				frame[key] = BigInt(value);
				break;
			case "payloadHex":
				frame.payload = unhex(value);
				break;
			default:
				frame[key] = value;
		}
	}
	return frame;
}

/** Compares a decoded frame with the expected one, bytes by content. */
function assertFrame(actual, expected) {
	const normalise = (frame) => Object.fromEntries(Object.entries(frame)
		.map(([key, value]) => [key, value instanceof Uint8Array ? `hex:${hex(value)}` : value]));
	assert.deepEqual(normalise(actual), normalise(expected));
}

describe("golden vectors (seed layout)", () => {
	for (const vector of vectors.vectors) {
		test(vector.name, () => {
			const frame = frameOf(vector.type, vector.fields);
			assert.equal(hex(encodeFrame(frame)), vector.hex, "encode");
			assertFrame(decodeFrame(unhex(vector.hex)), frame);
		});
	}
});

describe("reference server variants (cryo-protocol-1.4 layout)", () => {
	for (const vector of vectors.referenceServerVariants.vectors) {
		test(vector.name, () => {
			const frame = frameOf(vector.type, vector.fields);
			if (frame.type === "TX_FETCH") {
				Object.assign(frame, { startChunk: vector.fields.startChunk, endChunk: vector.fields.endChunk });
			}
			assert.equal(hex(encodeFrame(frame, { layout: Layout.CRYO_PROTOCOL_14 })), vector.hex, "encode");
			assertFrame(decodeFrame(unhex(vector.hex), { layout: Layout.CRYO_PROTOCOL_14 }), frame);
		});
	}
});

describe("client captures (cryo-client-node 1.3.0)", () => {
	for (const vector of vectors.clientCaptures) {
		test(vector.name, () => {
			const layout = vector.type.includes("(1.4") ? Layout.CRYO_PROTOCOL_14 : Layout.SEED;
			const frame = frameOf(vector.type, vector.fields);
			assert.equal(hex(encodeFrame(frame, { layout })), vector.hex);
			assertFrame(decodeFrame(unhex(vector.hex), { layout }), frame);
		});
	}
});

test("reference transcript frames all decode and re-encode identically", () => {
	for (const step of vectors.referenceTranscript.frames) {
		const frame = decodeFrame(unhex(step.hex));
		assert.equal(frame.type, step.type);
		assert.equal(frame.sid, BigInt(vectors.referenceTranscript.sid));
		assert.equal(hex(encodeFrame(frame)), step.hex, `step ${step.step}`);
	}
});

describe("invalid frames", () => {
	for (const vector of vectors.invalid) {
		test(vector.name, () => {
			if (vector.expected === "reject") {
				assert.throws(() => decodeFrame(unhex(vector.hex)), CryoFrameError);
			}
			else {
				// Well-formed but meaningless (start > end): it decodes; the session answers it.
				const frame = decodeFrame(unhex(vector.hex));
				assert.equal(frame.type, "TX_PULL");
				assert.ok(frame.start > frame.end);
			}
		});
	}
});

describe("lenient frames", () => {
	for (const vector of vectors.lenient) {
		test(vector.name, () => {
			const frame = decodeFrame(unhex(vector.hex));
			if (vector.decodedPayload !== undefined) {
				assert.equal(frame.payload, vector.decodedPayload);
			}
			if (vector.name === "tx_flow-from-1.1.x-encoder") {
				assert.equal(frame.behaviour, "TX_PUSH");
				assert.equal(frame.ack, 65537);
			}
			if (vector.name === "bye-13-bytes") {
				assert.equal(frame.reason, "");
			}
		});
	}
});

test("a seed TX_PULL of 25 bytes is malformed, but is TX_FETCH in the 1.4 layout", () => {
	const fetch = unhex("00000000000000010400000008000000010000000000000004");
	assert.throws(() => decodeFrame(fetch), CryoFrameError);
	assert.equal(decodeFrame(fetch, { layout: Layout.CRYO_PROTOCOL_14 }).type, "TX_FETCH");
});

test("a leading byte order mark is kept as text", () => {
	const frame = decodeFrame(encodeFrame({ type: "UTF8DATA", sid: 1n, ack: 0, payload: "\uFEFFx" }));
	assert.equal(frame.payload, "\uFEFFx");
});

test("variable parts above 16 MiB raise FRAME_TOO_LARGE, exactly 16 MiB is fine", () => {
	const frame = new Uint8Array(13 + 16 * 1024 * 1024 + 1);
	frame[8] = 0xf9;
	assert.throws(() => decodeFrame(frame), (error) => error instanceof CryoFrameError && error.code === "FRAME_TOO_LARGE");
	assert.equal(decodeFrame(frame.subarray(0, frame.length - 1)).payload.length, 16 * 1024 * 1024);
	assert.throws(() => encodeFrame({ type: "BINARYDATA", sid: 1n, ack: 0, payload: frame }), RangeError);
});

test("encoding rejects out-of-range fields", () => {
	assert.throws(() => encodeFrame({ type: "ACK", sid: -1n, ack: 0 }), RangeError);
	assert.throws(() => encodeFrame({ type: "ACK", sid: 1n << 64n, ack: 0 }), RangeError);
	assert.throws(() => encodeFrame({ type: "ACK", sid: 0n, ack: 2 ** 32 }), RangeError);
	assert.throws(() => encodeFrame({ type: "PING_PONG", sid: 0n, ack: 0, payload: "pang" }), RangeError);
	assert.throws(() => encodeFrame({ type: "TX_FLOW", sid: 0n, ack: 0, behaviour: "X" }), RangeError);
	assert.throws(() => encodeFrame({ type: "NOPE", sid: 0n }), TypeError);
});

test("random and mutated input only ever raises CryoFrameError", () => {
	// A fixed-seed generator keeps failures reproducible.
	let seed = 0x2545f491;
	const next = () => {
		seed ^= seed << 13;
		seed ^= seed >>> 17;
		seed ^= seed << 5;
		return seed >>> 0;
	};
	const samples = vectors.vectors.map((vector) => unhex(vector.hex));
	for (let round = 0; round < 20000; round++) {
		let input;
		if (round % 2 === 0) {
			input = new Uint8Array(next() % 48);
			for (let i = 0; i < input.length; i++) {
				input[i] = next() & 0xff;
			}
			if (input.length > 8 && round % 4 === 0) {
				input[8] = [0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, 0, 1, 2, 3, 4, 5][next() % 13];
			}
		}
		else {
			const base = samples[next() % samples.length];
			input = base.slice(0, next() % (base.length + 4));
			if (input.length > 0) {
				input[next() % input.length] ^= 1 << (next() % 8);
			}
		}
		for (const layout of [Layout.SEED, Layout.CRYO_PROTOCOL_14]) {
			try {
				const frame = decodeFrame(input, { layout });
				// Whatever decodes must encode back to a prefix-equal frame (trailing extras aside).
				assert.equal(typeof frame.type, "string");
			}
			catch (error) {
				assert.ok(error instanceof CryoFrameError, `round ${round}: ${error}`);
			}
		}
	}
});

test("non-binary input is a CryoFrameError too", () => {
	assert.throws(() => decodeFrame("text"), CryoFrameError);
	assert.throws(() => decodeFrame(null), CryoFrameError);
});
