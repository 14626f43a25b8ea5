package dev.cryo.sample.client;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.cryo.client.CryoClientListener;
import dev.cryo.client.CryoClientSession;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.transaction.IncomingStream;

/**
 * Records what a client session reports, in order, for tests to wait on: connection events in
 * one list, and each kind of message in its own queue.
 */
class RecordingListener implements CryoClientListener {

	static final Duration WAIT = Duration.ofSeconds(10);

	/** A connection event: its kind, when it happened, and its detail. */
	record Event(String kind, long nanoTime, Object detail) {
	}

	final List<Event> events = new CopyOnWriteArrayList<>();

	final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

	final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();

	final BlockingQueue<String> errors = new LinkedBlockingQueue<>();

	final BlockingQueue<IncomingStream> streams = new LinkedBlockingQueue<>();

	@Override
	public void onConnected(CryoClientSession session) {
		record("connected", session.idString());
	}

	@Override
	public void onDisconnected(CryoClientSession session, CloseInfo closeInfo) {
		record("disconnected", closeInfo);
	}

	@Override
	public void onReconnectFailed(CryoClientSession session, int attempt, Throwable failure) {
		record("reconnectFailed", failure);
	}

	@Override
	public void onReconnected(CryoClientSession session) {
		record("reconnected", session.idString());
	}

	@Override
	public void onClosed(CryoClientSession session, CloseInfo closeInfo) {
		record("closed", closeInfo);
	}

	@Override
	public void onUtf8Message(CryoClientSession session, String text) {
		this.texts.add(text);
	}

	@Override
	public void onBinaryMessage(CryoClientSession session, ByteBuffer payload) {
		byte[] copy = new byte[payload.remaining()];
		payload.get(copy);
		this.binaries.add(copy);
	}

	@Override
	public void onErrorMessage(CryoClientSession session, String message) {
		this.errors.add(message);
	}

	@Override
	public void onStreamStarted(CryoClientSession session, IncomingStream stream) {
		this.streams.add(stream);
	}

	private void record(String kind, Object detail) {
		this.events.add(new Event(kind, System.nanoTime(), detail));
	}

	List<Event> events(String kind) {
		return this.events.stream().filter((event) -> event.kind().equals(kind)).toList();
	}

	List<String> kinds() {
		return this.events.stream().map(Event::kind).toList();
	}

	/** Waits until {@code count} events of a kind were recorded and returns them. */
	List<Event> await(String kind, int count) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (events(kind).size() < count) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Expected " + count + " '" + kind + "' events within " + WAIT + ", got "
						+ kinds());
			}
			sleep();
		}
		return events(kind);
	}

	Event await(String kind) {
		return await(kind, 1).get(0);
	}

	String nextText() throws InterruptedException {
		return poll(this.texts);
	}

	byte[] nextBinary() throws InterruptedException {
		return poll(this.binaries);
	}

	IncomingStream nextStream() throws InterruptedException {
		return poll(this.streams);
	}

	/** Skips messages until one starts with the prefix (the sample also echoes every command). */
	String nextTextStartingWith(String prefix) throws InterruptedException {
		while (true) {
			String text = nextText();
			if (text.startsWith(prefix)) {
				return text;
			}
		}
	}

	private static <T> T poll(BlockingQueue<T> queue) throws InterruptedException {
		T next = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		if (next == null) {
			throw new AssertionError("Nothing arrived within " + WAIT);
		}
		return next;
	}

	private static void sleep() {
		try {
			Thread.sleep(10);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
