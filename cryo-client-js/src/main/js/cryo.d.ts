// Type declarations for cryo.mjs, the Cryo v1 client for browsers and Node, version 0.1.0

/** The version of this client. */
export declare const VERSION: "0.1.0";

/** The Cryo protocol version this client speaks and announces in ENDPOINT_INFO. */
export declare const PROTOCOL_VERSION: 1;

/** CRYO_MAX_PAYLOAD: the largest variable part of any frame, 16 MiB. */
export declare const MAX_PAYLOAD: number;

/** Feature bit 0 of ENDPOINT_INFO: transactions. */
export declare const FEATURE_TRANSACTIONS: bigint;

/** Frame type codes (cryo-v1.md §4.2). */
export declare const FrameType: Readonly<{
	ENDPOINT_INFO: 0xff;
	BYE: 0xfe;
	ACK: 0xfd;
	ERROR: 0xfc;
	PING_PONG: 0xfb;
	UTF8DATA: 0xfa;
	BINARYDATA: 0xf9;
	TX_START: 0x00;
	TX_CHUNK: 0x01;
	TX_FINISH: 0x02;
	TX_FLOW: 0x03;
	TX_PULL: 0x04;
	TX_CANCEL: 0x05;
}>;

/** The transaction layouts that announce version 1 (cryo-v1.md §10.5). */
export type TransactionLayout = "seed" | "cryo-protocol-1.4";

export declare const Layout: Readonly<{ SEED: "seed"; CRYO_PROTOCOL_14: "cryo-protocol-1.4" }>;

// --- frames -----------------------------------------------------------------------------------

interface FrameBase {
	/** Session id, unsigned 64-bit. Encoding also accepts a number or a decimal string. */
	sid: bigint;
}

export interface EndpointInfoFrame extends FrameBase { type: "ENDPOINT_INFO"; ack: number; version: number; flags: bigint }
export interface ByeFrame extends FrameBase { type: "BYE"; ack: number; reason: string }
export interface AckFrame extends FrameBase { type: "ACK"; ack: number }
export interface ErrorFrame extends FrameBase { type: "ERROR"; ack: number; payload: string }
export interface PingPongFrame extends FrameBase { type: "PING_PONG"; ack: number; payload: "ping" | "pong" }
export interface Utf8DataFrame extends FrameBase { type: "UTF8DATA"; ack: number; payload: string }
export interface BinaryDataFrame extends FrameBase { type: "BINARYDATA"; ack: number; payload: Uint8Array }
export interface TxStartFrame extends FrameBase {
	type: "TX_START";
	ack: number;
	txid: number;
	name: string;
	/** Only in the cryo-protocol-1.4 layout: the announced length, −1 when unknown. */
	size?: number;
}
export interface TxChunkFrame extends FrameBase {
	type: "TX_CHUNK";
	txid: number;
	payload: Uint8Array;
	/** Only in the cryo-protocol-1.4 layout. */
	seq?: number;
}
export interface TxFinishFrame extends FrameBase { type: "TX_FINISH"; ack: number; txid: number }
export interface TxFlowFrame extends FrameBase { type: "TX_FLOW"; ack: number; behaviour: "TX_PUSH" | "TX_PULL" }
/** Seed layout: a half-open byte range [start, end) of a transaction the receiver started. */
export interface TxPullFrame extends FrameBase { type: "TX_PULL"; ack: number; txid: number; start: bigint; end: bigint }
/** cryo-protocol-1.4 layout only: chunk indexes, half-open. */
export interface TxFetchFrame extends FrameBase {
	type: "TX_FETCH";
	ack: number;
	txid: number;
	startChunk: number;
	endChunk: number;
}
export interface TxCancelFrame extends FrameBase { type: "TX_CANCEL"; ack: number; txid: number }

export type Frame = EndpointInfoFrame | ByeFrame | AckFrame | ErrorFrame | PingPongFrame | Utf8DataFrame
	| BinaryDataFrame | TxStartFrame | TxChunkFrame | TxFinishFrame | TxFlowFrame | TxPullFrame | TxFetchFrame
	| TxCancelFrame;

export interface CodecOptions {
	/** Default "seed". */
	layout?: TransactionLayout;
}

/**
 * Encodes one frame into one WebSocket binary message.
 * @throws TypeError or RangeError when a field is missing or out of range
 */
export declare function encodeFrame(frame: Frame, options?: CodecOptions): Uint8Array;

/**
 * Decodes one WebSocket binary message strictly. Binary payloads are views into `data`.
 * @throws CryoFrameError for anything malformed, and only that
 */
export declare function decodeFrame(data: ArrayBuffer | ArrayBufferView, options?: CodecOptions): Frame;

// --- errors -----------------------------------------------------------------------------------

export type CryoErrorCode =
	| "ACK_TIMEOUT" | "DROPPED" | "QUEUE_OVERFLOW" | "NOT_CONNECTED" | "CLOSED" | "TOO_LARGE"
	| "CONNECT_FAILED" | "CONNECT_TIMEOUT" | "ENDPOINT_INFO_TIMEOUT" | "REFUSED" | "UPGRADE_FAILED"
	| "PROTOCOL_MISMATCH" | "SEND_FAILED" | "UNSUPPORTED" | "CANCELLED" | "REPLACED" | "RANGE_UNAVAILABLE"
	| "STREAM_TIMEOUT" | "STREAM_OVERFLOW" | "UNCLAIMED" | "MALFORMED_FRAME" | "FRAME_TOO_LARGE";

/** Every failure this client reports. Messages never contain the token. */
export declare class CryoError extends Error {
	constructor(code: string, message: string, details?: { cause?: unknown; retryable?: boolean; status?: number });
	readonly code: CryoErrorCode | string;
	/** Whether trying again (reconnecting) can help. */
	readonly retryable: boolean;
	/** The HTTP status of a refused upgrade, when the WebSocket implementation exposes it. */
	readonly status: number | undefined;
}

/** A message that is not a well-formed Cryo v1 frame. */
export declare class CryoFrameError extends CryoError {
	constructor(message: string, code?: "MALFORMED_FRAME" | "FRAME_TOO_LARGE");
}

// --- options ----------------------------------------------------------------------------------

export type DropPolicy = "drop-oldest" | "drop-newest" | "dedupe-latest" | "terminate";

/** The send queue's limits; defaults are the seed's (cryo-v1.md §11.1). */
export interface BackpressureOptions {
	/** Pending bytes (queued plus socket buffer) at which the session turns unwritable. Default 16 MiB. */
	highWaterMark?: number;
	/** Pending bytes at or below which it turns writable again. Default 1 MiB. */
	lowWaterMark?: number;
	/** Cap on the bytes waiting in the queue. Default 8 MiB. */
	maxQueuedBytes?: number;
	/** Cap on the frames waiting in the queue. Default 1024. */
	maxQueueCount?: number;
	/** What happens to a message that does not fit. Default "drop-oldest". */
	dropPolicy?: DropPolicy;
}

/** Exponential backoff with jitter, as the Java client's ReconnectPolicy. */
export interface ReconnectOptions {
	/** Attempts after a lost connection before giving up; 0 disables. Default 5. */
	maxAttempts?: number;
	/** Delay before the first attempt, ms. Default 500. */
	baseDelay?: number;
	/** Longest delay, ms. Default 10000. */
	maxDelay?: number;
	/** Fraction (0–1) of each delay randomised away. Default 0.2. */
	jitter?: number;
}

/** Timers the session uses; replace them to drive a session with a fake clock. */
export interface Clock {
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
	/** Monotonic milliseconds. */
	now(): number;
}

/** The constructor shape of a WHATWG-style WebSocket (browsers, Node 22, the ws package). */
export type WebSocketConstructor = new (url: string) => {
	binaryType: string;
	readonly bufferedAmount: number;
	onopen: ((event: any) => void) | null;
	onmessage: ((event: { data: unknown }) => void) | null;
	onerror: ((event: any) => void) | null;
	onclose: ((event: { code: number; reason: string }) => void) | null;
	send(data: Uint8Array): void;
	close(code?: number, reason?: string): void;
};

export interface ConnectOptions {
	/** The bearer token; sent as the `authorization` query parameter. Required. */
	token: string;
	/** The WebSocket implementation when there is no global one (Node 20). */
	WebSocket?: WebSocketConstructor;
	/** Until the WebSocket is open, ms. Default 10000. */
	connectTimeout?: number;
	/** From open until both ENDPOINT_INFO frames are exchanged and ours is ACKed, ms. Default 10000. */
	endpointInfoTimeout?: number;
	/** How long a sent frame waits for its ACK, ms. Default 2500. */
	ackTimeout?: number;
	/** How long the server's next ping may take before the client says BYE and reconnects, ms; 0 disables. Default 45000. */
	pingTimeout?: number;
	/** How long close() may flush the queue before it closes anyway, ms. Default 5000. */
	closeTimeout?: number;
	/** How often the socket's buffer is checked while frames wait (browsers have no drain event), ms. Default 10. */
	drainPollInterval?: number;
	backpressure?: BackpressureOptions;
	/** `false` disables reconnecting; `true` or omitted uses the defaults. */
	reconnect?: boolean | ReconnectOptions;
	/** Default "seed"; "cryo-protocol-1.4" for servers configured for that layout. */
	transactionLayout?: TransactionLayout;
	/** "pull" sends TX_FLOW(TX_PULL) once connected and downloads window by window as the reader reads. Default "push". */
	receiveMode?: "push" | "pull";
	/** The window of a pull download, bytes. Default 1 MiB. */
	pullWindowBytes?: number;
	/** Upload chunk size, bytes (1 to 16 MiB). Default 64 KiB. */
	chunkSize?: number;
	/** Bytes a push download may buffer unread before it is cancelled. Default 32 MiB. */
	maxIncomingBuffer?: number;
	clock?: Clock;
	/** Source of the reconnect jitter, in [0, 1). Default Math.random. */
	random?: () => number;
}

export interface StreamOptions {
	/** Called after each chunk with the bytes sent so far and the total, when it is known. */
	onProgress?: (sent: number, total: number | undefined) => void;
	/**
	 * "auto" (default) follows the server's TX_FLOW. "push" sends at once even when the server
	 * asked for pull (it must accept that); "pull" requires that the server asked for it.
	 */
	mode?: "auto" | "push" | "pull";
	/** Overrides the session's chunk size for this upload. */
	chunkSize?: number;
	/** The length of a ReadableStream source, when known. */
	size?: number;
}

export interface StreamResult {
	txid: number;
	name: string;
	/** Bytes sent. */
	bytes: number;
	mode: "push" | "pull";
}

/** A transaction the server started. */
export interface IncomingStream {
	stream: ReadableStream<Uint8Array>;
	/** Its name; an empty name arrives as "anonymous". */
	name: string;
	/** Its length when the server announced it (cryo-protocol-1.4 layout only). */
	size: number | undefined;
	txid: number;
}

export interface CloseInfo {
	code: number;
	reason: string;
	/** Why, when the session did not end by close(). */
	error?: CryoError;
}

export interface SessionStats {
	bytesIn: number;
	bytesOut: number;
	framesIn: number;
	framesOut: number;
	ackTimeouts: number;
	/** Messages dropped by the drop policy. */
	dropped: number;
	malformedFrames: number;
	/** Text or otherwise unusable WebSocket messages. */
	ignoredMessages: number;
	reconnectAttempts: number;
	reconnects: number;
	queuedFrames: number;
	queuedBytes: number;
}

export interface SessionEvents {
	"message-utf8": (text: string) => void;
	"message-binary": (data: ArrayBuffer) => void;
	/** An ERROR frame's text. */
	"message-error": (text: string) => void;
	/** A connection was established (after a reconnect; the first one is connect()'s promise). */
	connected: () => void;
	disconnected: (info: { code: number; reason: string }) => void;
	reconnected: () => void;
	closed: (info: CloseInfo) => void;
	/** An incoming transaction no awaitStream() was waiting for. */
	stream: (incoming: IncomingStream) => void;
	writable: (writable: boolean) => void;
}

export type SessionState = "connecting" | "open" | "reconnecting" | "closing" | "closed";

export declare class CryoSession {
	private constructor();
	/** The endpoint, without credentials. */
	readonly url: string;
	/** The current connection's session id, decimal. */
	readonly id: string;
	readonly state: SessionState;
	/** Round-trip estimate in ms, −1 without a sample. */
	readonly rtt: number;
	/** Whether the send queue is below its high-water mark. */
	readonly writable: boolean;
	readonly stats: SessionStats;
	/** Resolves with how the session ended. */
	readonly closed: Promise<CloseInfo>;

	on<E extends keyof SessionEvents>(event: E, listener: SessionEvents[E]): this;
	off<E extends keyof SessionEvents>(event: E, listener: SessionEvents[E]): this;
	once<E extends keyof SessionEvents>(event: E, listener: SessionEvents[E]): this;

	/** Resolves when the server ACKs; rejects at once when not connected. */
	sendUtf8(text: string): Promise<void>;
	sendBinary(data: ArrayBuffer | ArrayBufferView | Blob): Promise<void>;
	/** Uploads as a transaction; resolves once the server ACKed TX_FINISH. */
	stream(data: Blob | ReadableStream<Uint8Array> | ArrayBuffer | ArrayBufferView, name: string,
		options?: StreamOptions): Promise<StreamResult>;
	/** Waits for an incoming transaction by name. Default timeout 30000 ms. */
	awaitStream(name: string, options?: { timeout?: number }): Promise<IncomingStream>;
	/** BYE, then close with 4000; stops reconnecting. */
	close(reason?: string): Promise<CloseInfo>;
}

/** Connects and resolves once the session is established. */
export declare function connect(url: string | URL, options: ConnectOptions): Promise<CryoSession>;

/** The seed's shape: `cryo(host, bearer, timeout)`; `host` may omit the scheme. */
export declare function cryo(host: string, bearer: string, timeout?: number,
	options?: Omit<ConnectOptions, "token" | "connectTimeout">): Promise<CryoSession>;

/** The delay before reconnect attempt `attempt` (from 1), ms. */
export declare function reconnectDelay(policy: { baseDelay: number; maxDelay: number; jitter: number },
	attempt: number, random?: () => number): number;
