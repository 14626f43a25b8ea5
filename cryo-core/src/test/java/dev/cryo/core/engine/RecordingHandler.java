package dev.cryo.core.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.transaction.IncomingStream;

/**
 * A {@link ProtocolHandler} that records every callback, copying what the frames only lend for
 * the duration of the call, and writes each callback to the shared {@link EventLog}.
 */
final class RecordingHandler implements ProtocolHandler {

	private final EventLog log;

	private final List<String> texts = new ArrayList<>();

	private final List<byte[]> binaries = new ArrayList<>();

	private final List<String> errors = new ArrayList<>();

	private final List<SessionStatistics> statistics = new ArrayList<>();

	private final List<CloseInfo> closes = new ArrayList<>();

	private final List<IncomingStream> streams = new ArrayList<>();

	private @Nullable Consumer<IncomingStream> onStreamAction;

	private int readyCount;

	private @Nullable Consumer<ProtocolSession> onUtf8Action;

	private @Nullable Consumer<ProtocolSession> onClosedAction;

	private @Nullable RuntimeException failure;

	RecordingHandler(EventLog log) {
		this.log = log;
	}

	/** Runs inside every {@link #onUtf8} call, after recording it. */
	synchronized RecordingHandler whenUtf8(Consumer<ProtocolSession> action) {
		this.onUtf8Action = action;
		return this;
	}

	/** Runs inside every {@link #onStreamStarted} call, after recording it. */
	synchronized RecordingHandler whenStreamStarted(Consumer<IncomingStream> action) {
		this.onStreamAction = action;
		return this;
	}

	/** Runs inside every {@link #onClosed} call, after recording it. */
	synchronized RecordingHandler whenClosed(Consumer<ProtocolSession> action) {
		this.onClosedAction = action;
		return this;
	}

	/** Makes every callback throw this exception after recording the call. */
	synchronized RecordingHandler throwing(RuntimeException failure) {
		this.failure = failure;
		return this;
	}

	@Override
	public void onReady(ProtocolSession session) {
		synchronized (this) {
			this.readyCount++;
		}
		this.log.add("onReady");
		fail();
	}

	@Override
	public void onUtf8(ProtocolSession session, Utf8DataFrame frame) {
		String text = frame.text();
		Consumer<ProtocolSession> action;
		synchronized (this) {
			this.texts.add(text);
			action = this.onUtf8Action;
		}
		this.log.add("onUtf8 " + text);
		if (action != null) {
			action.accept(session);
		}
		fail();
	}

	@Override
	public void onBinary(ProtocolSession session, BinaryDataFrame frame) {
		ByteBuffer payload = frame.payload();
		byte[] bytes = new byte[payload.remaining()];
		payload.get(bytes);
		synchronized (this) {
			this.binaries.add(bytes);
		}
		this.log.add("onBinary " + bytes.length);
		fail();
	}

	@Override
	public void onError(ProtocolSession session, ErrorFrame frame) {
		synchronized (this) {
			this.errors.add(frame.message());
		}
		this.log.add("onError " + frame.message());
		fail();
	}

	@Override
	public void onStatistics(ProtocolSession session, SessionStatistics statistics) {
		synchronized (this) {
			this.statistics.add(statistics);
		}
		this.log.add("onStatistics");
		fail();
	}

	@Override
	public void onStreamStarted(ProtocolSession session, IncomingStream stream) {
		Consumer<IncomingStream> action;
		synchronized (this) {
			this.streams.add(stream);
			action = this.onStreamAction;
		}
		this.log.add("onStreamStarted " + stream.name());
		if (action != null) {
			action.accept(stream);
		}
		fail();
	}

	@Override
	public void onClosed(ProtocolSession session, CloseInfo closeInfo) {
		Consumer<ProtocolSession> action;
		synchronized (this) {
			this.closes.add(closeInfo);
			action = this.onClosedAction;
		}
		this.log.add("onClosed " + closeInfo.code() + " " + closeInfo.initiator());
		if (action != null) {
			action.accept(session);
		}
		fail();
	}

	private void fail() {
		RuntimeException toThrow;
		synchronized (this) {
			toThrow = this.failure;
		}
		if (toThrow != null) {
			throw toThrow;
		}
	}

	synchronized int readyCount() {
		return this.readyCount;
	}

	synchronized List<String> texts() {
		return List.copyOf(this.texts);
	}

	synchronized List<byte[]> binaries() {
		return List.copyOf(this.binaries);
	}

	synchronized List<String> errors() {
		return List.copyOf(this.errors);
	}

	synchronized List<SessionStatistics> statistics() {
		return List.copyOf(this.statistics);
	}

	synchronized List<IncomingStream> streams() {
		return List.copyOf(this.streams);
	}

	synchronized List<CloseInfo> closes() {
		return List.copyOf(this.closes);
	}

}
