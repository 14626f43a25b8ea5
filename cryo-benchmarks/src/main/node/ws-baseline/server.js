'use strict';

/*
 * The raw Node `ws` server the Cryo benchmarks use as the common baseline with the Node reference
 * server (BENCHMARKS.md, "Against the Node reference"). It keeps the contract of the bench app's
 * RawEchoHandler, so that the load driver measures both with the same code:
 *
 * - every binary message is echoed as it is;
 * - text `upload <bytes>`: count that many binary bytes instead of echoing them, then answer `done`;
 * - text `download <bytes> <chunk>`: send that many bytes as binary messages of `chunk` bytes;
 * - idle connections are held;
 * - GET /bench/state answers `heap=<bytes> cryo=0 raw=<open connections>` like the bench app's
 *   BenchController; with `gc=true` it first runs three full collections (node runs with
 *   --expose-gc), and heap is V8's live heap plus the Buffers outside it.
 *
 * Usage: node --expose-gc server.js <port, 0 for any> <port file>
 */

const fs = require('fs');
const http = require('http');
const path = require('path');
const { WebSocketServer } = require('ws');

const CHUNK_PATTERN_SIZE = 64 * 1024;

// At most this many download messages handed to ws and not yet written to the socket: what a
// careful server keeps buffered per connection instead of queueing a whole download in memory.
const DOWNLOAD_IN_FLIGHT = 16;

const port = Number.parseInt(process.argv[2] || '0', 10);
const portFile = process.argv[3];

// The same 64 KiB pattern as RepeatingInputStream, so both raw downloads send the same bytes.
const pattern = Buffer.alloc(CHUNK_PATTERN_SIZE);
for (let i = 0; i < pattern.length; i++) {
	pattern[i] = i % 251;
}

const server = http.createServer((request, response) => {
	if (request.method === 'GET' && request.url.startsWith('/bench/state')) {
		// Like the bench app's full collections before it reads the heap: only what is live counts.
		if (request.url.includes('gc=true') && typeof global.gc === 'function') {
			global.gc();
			global.gc();
			global.gc();
		}
		// V8's live heap and the memory of Buffers outside it: the counterpart of the JVM's heap.
		const usage = process.memoryUsage();
		const heap = usage.heapUsed + usage.external;
		response.writeHead(200, { 'Content-Type': 'text/plain' });
		response.end(`heap=${heap} cryo=0 raw=${wss.clients.size}`);
		return;
	}
	response.writeHead(404);
	response.end();
});

// Compression off, as the Cryo endpoint declines it by default; any path is accepted, so the
// driver's raw client can use the path it uses with the bench app (/raw).
const wss = new WebSocketServer({ server, perMessageDeflate: false });

wss.on('connection', (socket) => {
	let uploadRemaining = -1;
	socket.on('message', (data, isBinary) => {
		if (isBinary) {
			if (uploadRemaining < 0) {
				socket.send(data, { binary: true });
				return;
			}
			uploadRemaining -= data.length;
			if (uploadRemaining <= 0) {
				uploadRemaining = -1;
				socket.send('done');
			}
			return;
		}
		const command = data.toString().split(' ');
		if (command[0] === 'upload') {
			uploadRemaining = Number(command[1]);
		}
		else if (command[0] === 'download') {
			download(socket, Number(command[1]), Number.parseInt(command[2], 10));
		}
	});
	// A peer that goes away mid-download must not crash the server.
	socket.on('error', () => {});
});

/*
 * Sends `size` bytes in messages of `chunk` bytes, keeping at most DOWNLOAD_IN_FLIGHT messages
 * between ws and the socket: each send's callback (the socket has taken the bytes) lets the next
 * one go, so a slow reader stops the producer instead of growing the server's buffers.
 */
function download(socket, size, chunk) {
	let position = 0;
	let inFlight = 0;
	const pump = () => {
		while (inFlight < DOWNLOAD_IN_FLIGHT && position < size && socket.readyState === socket.OPEN) {
			const length = Math.min(chunk, size - position);
			// A fresh buffer per message, as RawEchoHandler sends a copy per message: the same work
			// on both raw sides (ws itself frames a server's unmasked payload without copying it).
			const offset = position % CHUNK_PATTERN_SIZE;
			const message = (offset + length <= CHUNK_PATTERN_SIZE) ? Buffer.from(pattern.subarray(offset, offset + length))
				: Buffer.concat([pattern.subarray(offset), pattern], length);
			position += length;
			inFlight++;
			socket.send(message, { binary: true }, (error) => {
				inFlight--;
				if (!error) {
					pump();
				}
			});
		}
	};
	pump();
}

server.listen(port, '127.0.0.1', () => {
	const chosen = server.address().port;
	console.log(`ws ${require('ws/package.json').version} baseline on 127.0.0.1:${chosen}, node ${process.version}`);
	if (portFile) {
		// Renamed into place so that the driver never reads a half-written file.
		const temporary = path.join(path.dirname(portFile), path.basename(portFile) + '.tmp');
		fs.writeFileSync(temporary, String(chosen));
		fs.renameSync(temporary, portFile);
	}
});

process.on('SIGTERM', () => {
	wss.close();
	server.close();
	process.exit(0);
});
