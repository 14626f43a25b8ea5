// Transactions both ways, push and pull (cryo-v1.md §10), and the send queue's backpressure
// and drop policies (§11.3), against the in-memory fake server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../../main/js/cryo.mjs";
import { FakeServer, readAll, settle, trackingClock } from "./fake-server.mjs";

const URL_ = "ws://localhost:8080/cryo";

async function open(serverOptions = {}, clientOptions = {}) {
	const server = new FakeServer(serverOptions);
	const clock = trackingClock();
	const session = await connect(URL_, { token: "dev-token", WebSocket: server.WebSocket, clock, reconnect: false,
		...clientOptions });
	return { server, session, peer: server.lastPeer, clock };
}

async function closeClean(session, clock) {
	await session.close("done");
	await settle();
	assert.equal(clock.pending.size, 0, "timers left after close");
}

function bytes(length) {
	const data = new Uint8Array(length);
	for (let i = 0; i < length; i++) {
		data[i] = (i * 31 + 7) & 0xff;
	}
	return data;
}

/** Concatenates the payloads of the client's chunks of one transaction. */
function chunksOf(peer, txid) {
	return new Uint8Array(Buffer.concat(peer.received.filter((frame) => frame.type === "TX_CHUNK" && frame.txid === txid)
		.map((frame) => frame.payload)));
}

test("push upload: TX_START, chunks after its ACK, TX_FINISH; progress reported", async () => {
	const { session, peer, clock } = await open();
	const data = bytes(200_000);
	const progress = [];
	const result = await session.stream(data, "report.pdf", { onProgress: (sent, total) => progress.push([sent, total]) });
	assert.deepEqual(result, { txid: 0, name: "report.pdf", bytes: 200_000, mode: "push" });
	const types = peer.received.map((frame) => frame.type).filter((type) => type.startsWith("TX_"));
	assert.equal(types[0], "TX_START");
	assert.equal(types.at(-1), "TX_FINISH");
	assert.equal(peer.received.find((frame) => frame.type === "TX_START").name, "report.pdf");
	assert.deepEqual(chunksOf(peer, 0), data);
	assert.equal(peer.received.filter((frame) => frame.type === "TX_CHUNK").length, 4, "64 KiB chunks");
	assert.deepEqual(progress.at(-1), [200_000, 200_000]);
	await closeClean(session, clock);
});

test("push upload from a Blob and from a ReadableStream", async () => {
	const { session, peer, clock } = await open();
	const data = bytes(100_000);
	await session.stream(new Blob([data]), "blob.bin", { chunkSize: 30_000 });
	const pieces = [data.subarray(0, 10), data.subarray(10, 70_000), data.subarray(70_000)];
	const readable = new ReadableStream({
		pull(controller) {
			const piece = pieces.shift();
			if (piece) {
				controller.enqueue(piece);
			}
			else {
				controller.close();
			}
		},
	});
	const result = await session.stream(readable, "stream.bin");
	assert.equal(result.bytes, 100_000);
	assert.deepEqual(chunksOf(peer, 0), data);
	assert.deepEqual(chunksOf(peer, 1), data);
	await closeClean(session, clock);
});

test("an upload reads its source no faster than the socket takes it", async () => {
	const limits = { highWaterMark: 40_000, lowWaterMark: 10_000, maxQueuedBytes: 100_000, maxQueueCount: 64 };
	const { server, session, peer, clock } = await connectHeld({ backpressure: limits, drainPollInterval: 2 });
	let read = 0;
	const readable = new ReadableStream({
		pull(controller) {
			if (read >= 1_000_000) {
				controller.close();
				return;
			}
			read += 10_000;
			controller.enqueue(bytes(10_000));
		},
	}, { highWaterMark: 0 });
	const writable = [];
	session.on("writable", (value) => writable.push(value));
	const upload = session.stream(readable, "slow.bin", { chunkSize: 10_000 });
	await settle(10);
	server.sockets[0].release(); // TX_START
	await settle(20);
	const readWhileHeld = read;
	assert.ok(readWhileHeld <= 70_000, `read ${readWhileHeld} bytes while nothing was written`);
	assert.deepEqual(writable, [false]);
	for (let i = 0; i < 200 && read < 1_000_000; i++) {
		server.sockets[0].release();
		await new Promise((resolve) => setTimeout(resolve, 3));
	}
	const finishing = setInterval(() => server.sockets[0].release(), 2);
	const result = await upload;
	// Writability is polled: wait (bounded) for the poll to see the drained socket.
	for (let i = 0; i < 500 && !session.writable; i++) {
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
	clearInterval(finishing);
	assert.equal(result.bytes, 1_000_000);
	assert.equal(chunksOf(peer, 0).length, 1_000_000);
	assert.equal(writable.at(-1), true);
	server.options.holdWrites = false;
	await closeClean(session, clock);
});

test("pull upload: chunks only for requested ranges, TX_FINISH once a range reaches the end", async () => {
	const { session, peer, clock } = await open();
	const flowAck = peer.send({ type: "TX_FLOW", behaviour: "TX_PULL" });
	await peer.next((frame) => frame.type === "ACK" && frame.ack === flowAck);
	const data = bytes(250);
	const upload = session.stream(new Blob([data]), "pulled.bin", { chunkSize: 40 });
	const start = await peer.nextOfType("TX_START");
	await settle(10);
	assert.equal(peer.received.filter((frame) => frame.type === "TX_CHUNK").length, 0, "no chunk before a TX_PULL");
	const first = peer.send({ type: "TX_PULL", txid: start.txid, start: 0n, end: 100n });
	await peer.next((frame) => frame.type === "ACK" && frame.ack === first);
	await settle(10);
	assert.deepEqual(chunksOf(peer, start.txid), data.subarray(0, 100));
	// A bad range and an unknown txid are ACKed and answered with ERROR, nothing else.
	const bad = peer.send({ type: "TX_PULL", txid: start.txid, start: 100n, end: 10n });
	const unknown = peer.send({ type: "TX_PULL", txid: 99, start: 0n, end: 10n });
	const errors = [await peer.nextOfType("ERROR"), await peer.nextOfType("ERROR")];
	assert.ok(peer.received.some((frame) => frame.type === "ACK" && frame.ack === bad));
	assert.ok(peer.received.some((frame) => frame.type === "ACK" && frame.ack === unknown));
	assert.match(errors[0].payload, new RegExp(`txid ${start.txid}`));
	assert.match(errors[1].payload, /TX_PULL for unknown txid 99/);
	peer.send({ type: "TX_PULL", txid: start.txid, start: 100n, end: 1000n });
	const result = await upload;
	assert.equal(result.mode, "pull");
	assert.equal(result.bytes, 250);
	assert.deepEqual(chunksOf(peer, start.txid), data);
	assert.ok(peer.received.some((frame) => frame.type === "TX_FINISH" && frame.txid === start.txid));
	await closeClean(session, clock);
});

test("mode push overrides the server's pull request; mode pull needs one", async () => {
	const { session, peer, clock } = await open();
	await assert.rejects(session.stream(bytes(10), "p", { mode: "pull" }), (error) => error.code === "UNSUPPORTED");
	const flowAck = peer.send({ type: "TX_FLOW", behaviour: "TX_PULL" });
	await peer.next((frame) => frame.type === "ACK" && frame.ack === flowAck);
	const result = await session.stream(bytes(10), "pushed", { mode: "push" });
	assert.equal(result.mode, "push");
	assert.deepEqual(chunksOf(peer, result.txid), bytes(10));
	await closeClean(session, clock);
});

test("a TX_CANCEL from the server stops an upload", async () => {
	const { session, peer, clock } = await open();
	peer.send({ type: "TX_FLOW", behaviour: "TX_PULL" });
	await settle(5);
	const upload = session.stream(bytes(10), "cancelled.bin").catch((error) => error);
	const start = await peer.nextOfType("TX_START");
	peer.send({ type: "TX_CANCEL", txid: start.txid });
	const error = await upload;
	assert.equal(error.code, "CANCELLED");
	assert.ok(!peer.received.some((frame) => frame.type === "TX_FINISH"));
	await closeClean(session, clock);
});

test("push download: awaitStream gets the bytes; TX_START and TX_FINISH are ACKed", async () => {
	const { session, peer, clock } = await open();
	const waiting = session.awaitStream("video.mp4", { timeout: 1000 });
	const start = peer.send({ type: "TX_START", txid: 5, name: "video.mp4" });
	const data = bytes(3000);
	peer.send({ type: "TX_CHUNK", txid: 5, payload: data.subarray(0, 1000) });
	peer.send({ type: "TX_CHUNK", txid: 5, payload: data.subarray(1000) });
	peer.send({ type: "TX_CHUNK", txid: 6, payload: data }); // unknown txid: dropped
	const finish = peer.send({ type: "TX_FINISH", txid: 5 });
	const incoming = await waiting;
	assert.equal(incoming.name, "video.mp4");
	assert.equal(incoming.size, undefined);
	assert.deepEqual(await readAll(incoming.stream), data);
	await settle(5);
	assert.ok(peer.received.some((frame) => frame.type === "ACK" && frame.ack === start));
	assert.ok(peer.received.some((frame) => frame.type === "ACK" && frame.ack === finish));
	await closeClean(session, clock);
});

test("streams that nobody awaited wait to be claimed; the stream event gets them otherwise", async () => {
	const { session, peer, clock } = await open();
	peer.send({ type: "TX_START", txid: 1, name: "" });
	peer.send({ type: "TX_CHUNK", txid: 1, payload: bytes(10) });
	peer.send({ type: "TX_FINISH", txid: 1 });
	await settle(10);
	const early = await session.awaitStream("anonymous");
	assert.deepEqual(await readAll(early.stream), bytes(10));
	const announced = new Promise((resolve) => session.once("stream", resolve));
	peer.send({ type: "TX_START", txid: 2, name: "listened" });
	peer.send({ type: "TX_FINISH", txid: 2 });
	assert.equal((await announced).name, "listened");
	await assert.rejects(session.awaitStream("missing", { timeout: 20 }), (error) => error.code === "STREAM_TIMEOUT");
	await closeClean(session, clock);
});

test("a cancelled download sends TX_CANCEL", async () => {
	const { session, peer, clock } = await open();
	const waiting = session.awaitStream("big");
	peer.send({ type: "TX_START", txid: 3, name: "big" });
	const incoming = await waiting;
	await incoming.stream.cancel("not wanted");
	const cancel = await peer.nextOfType("TX_CANCEL");
	assert.equal(cancel.txid, 3);
	await closeClean(session, clock);
});

test("a push download nobody reads is cancelled at maxIncomingBuffer", async () => {
	const { session, peer, clock } = await open({}, { maxIncomingBuffer: 1000 });
	const waiting = session.awaitStream("flood");
	peer.send({ type: "TX_START", txid: 4, name: "flood" });
	for (let i = 0; i < 5; i++) {
		peer.send({ type: "TX_CHUNK", txid: 4, payload: bytes(400) });
	}
	const incoming = await waiting;
	await peer.nextOfType("TX_CANCEL");
	await assert.rejects(readAll(incoming.stream), (error) => error.code === "STREAM_OVERFLOW");
	await closeClean(session, clock);
});

test("pull download: TX_FLOW after ready, one window at a time as the reader reads", async () => {
	const { session, peer, clock } = await open({}, { receiveMode: "pull", pullWindowBytes: 100 });
	const flow = await peer.nextOfType("TX_FLOW");
	assert.equal(flow.behaviour, "TX_PULL");
	const waiting = session.awaitStream("pulled");
	peer.send({ type: "TX_START", txid: 8, name: "pulled" });
	const firstPull = await peer.nextOfType("TX_PULL");
	assert.deepEqual([firstPull.txid, firstPull.start, firstPull.end], [8, 0n, 100n]);
	const data = bytes(250);
	peer.send({ type: "TX_CHUNK", txid: 8, payload: data.subarray(0, 60) });
	peer.send({ type: "TX_CHUNK", txid: 8, payload: data.subarray(60, 100) });
	await settle(10);
	assert.equal(peer.received.filter((frame) => frame.type === "TX_PULL").length, 1, "the reader has not read yet");
	const incoming = await waiting;
	const reader = incoming.stream.getReader();
	await reader.read();
	const secondPull = await peer.nextOfType("TX_PULL");
	assert.deepEqual([secondPull.start, secondPull.end], [100n, 200n]);
	peer.send({ type: "TX_CHUNK", txid: 8, payload: data.subarray(100, 200) });
	await reader.read();
	await reader.read();
	const thirdPull = await peer.nextOfType("TX_PULL");
	assert.deepEqual([thirdPull.start, thirdPull.end], [200n, 300n]);
	peer.send({ type: "TX_CHUNK", txid: 8, payload: data.subarray(200) });
	peer.send({ type: "TX_FINISH", txid: 8 });
	const rest = [];
	for (let part = await reader.read(); !part.done; part = await reader.read()) {
		rest.push(part.value);
	}
	assert.deepEqual(new Uint8Array(Buffer.concat(rest)), data.subarray(200));
	await closeClean(session, clock);
});

test("a cryo-protocol-1.4 TX_START switches the session to the 1.4 layout (§10.5 rule 3)", async () => {
	const { session, peer, clock } = await open();
	const waiting = session.awaitStream("legacy");
	peer.send({ type: "TX_START", txid: 1, size: -1, name: "legacy" }, { layout: "cryo-protocol-1.4" });
	peer.send({ type: "TX_CHUNK", txid: 1, seq: 0, payload: bytes(5) }, { layout: "cryo-protocol-1.4" });
	peer.send({ type: "TX_FINISH", txid: 1 });
	const incoming = await waiting;
	assert.deepEqual(await readAll(incoming.stream), bytes(5));
	peer.server.options.layout = "cryo-protocol-1.4";
	await session.stream(bytes(10), "up");
	const start = peer.received.find((frame) => frame.type === "TX_START");
	assert.equal(start.size, -1);
	assert.equal(peer.received.find((frame) => frame.type === "TX_CHUNK").seq, 0);
	await closeClean(session, clock);
});

test("transactions need a server that announced them", async () => {
	const { session, clock } = await open({ flags: 0n });
	await assert.rejects(session.stream(bytes(1), "x"), (error) => error.code === "UNSUPPORTED");
	await closeClean(session, clock);
});

/** Lets the handshake through, which the held socket would otherwise keep back. */
async function connectHeld(options) {
	const server = new FakeServer({ holdWrites: true });
	const clock = trackingClock();
	const connecting = connect(URL_, { token: "dev-token", WebSocket: server.WebSocket, clock, reconnect: false, ...options });
	const release = setInterval(() => server.sockets[0]?.release(), 1);
	const session = await connecting;
	clearInterval(release);
	await settle(10);
	server.sockets[0].release();
	// Writability is polled (browsers have no drain event): give the poll time to see the release.
	for (let i = 0; i < 500 && !session.writable; i++) {
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
	assert.equal(session.writable, true);
	return { server, session, peer: server.lastPeer, clock };
}

for (const [policy, expectDropped] of [["drop-oldest", ["m1"]], ["drop-newest", ["m4"]]]) {
	test(`${policy}: a droppable frame beyond the caps is dropped and its send rejects with DROPPED`, async () => {
		const { server, session, peer, clock } = await connectHeld({ backpressure: { highWaterMark: 20, lowWaterMark: 10,
			maxQueuedBytes: 60, maxQueueCount: 3, dropPolicy: policy }, drainPollInterval: 2 });
		const socket = server.sockets[0];
		const writable = [];
		session.on("writable", (value) => writable.push(value));
		const outcomes = {};
		const sends = ["m0", "m1", "m2", "m3", "m4"].map((text) => session.sendUtf8(text)
			.then(() => { outcomes[text] = "acked"; }, (error) => { outcomes[text] = error.code; }));
		// m0 went to the socket (it was empty); m1..m3 fill the 3-frame queue; m4 does not fit.
		await settle(5);
		assert.deepEqual(writable, [false]);
		const dropped = Object.entries(outcomes).filter(([, outcome]) => outcome === "DROPPED").map(([text]) => text);
		assert.deepEqual(dropped, expectDropped);
		const release = setInterval(() => socket.release(), 2);
		await Promise.all(sends);
		for (let i = 0; i < 500 && !session.writable; i++) {
			await new Promise((resolve) => setTimeout(resolve, 2));
		}
		clearInterval(release);
		assert.equal(session.stats.dropped, 1);
		assert.deepEqual(writable, [false, true]);
		const delivered = peer.received.filter((frame) => frame.type === "UTF8DATA").map((frame) => frame.payload);
		assert.deepEqual(delivered, ["m0", "m1", "m2", "m3", "m4"].filter((text) => !expectDropped.includes(text)));
		server.options.holdWrites = false;
		await closeClean(session, clock);
	});
}

test("dedupe-latest replaces an identical queued message and keeps distinct ones", async () => {
	const { server, session, peer, clock } = await connectHeld({ backpressure: { highWaterMark: 20, lowWaterMark: 10,
		maxQueuedBytes: 1000, maxQueueCount: 10, dropPolicy: "dedupe-latest" }, drainPollInterval: 2 });
	const outcomes = [];
	const sends = ["first", "same", "other", "same"].map((text, index) => session.sendUtf8(text)
		.then(() => { outcomes[index] = "acked"; }, (error) => { outcomes[index] = error.code; }));
	await settle(5);
	const release = setInterval(() => server.sockets[0].release(), 2);
	await Promise.all(sends);
	clearInterval(release);
	assert.deepEqual(outcomes, ["acked", "DROPPED", "acked", "acked"]);
	assert.deepEqual(peer.received.filter((frame) => frame.type === "UTF8DATA").map((frame) => frame.payload),
		["first", "other", "same"]);
	server.options.holdWrites = false;
	await closeClean(session, clock);
});

test("terminate: an overflow closes the connection instead of dropping", async () => {
	const { session } = await connectHeld({ backpressure: { highWaterMark: 20, lowWaterMark: 10, maxQueuedBytes: 60,
		maxQueueCount: 1, dropPolicy: "terminate" }, drainPollInterval: 2, closeTimeout: 20 });
	const closed = new Promise((resolve) => session.once("closed", resolve));
	const results = await Promise.all(["a", "b", "c"].map((text) => session.sendUtf8(text).catch((error) => error.code)));
	assert.ok(results.includes("QUEUE_OVERFLOW"), results.join());
	await closed;
	assert.equal(session.state, "closed");
});
