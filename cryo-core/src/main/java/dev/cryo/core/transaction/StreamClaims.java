package dev.cryo.core.transaction;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * Hands the incoming streams of one session to whoever claims them by name. A stream that
 * starts while nobody waits for its name is kept until it is claimed (or fails); a claim made
 * before its stream starts waits for it, up to a timeout. Each stream goes to exactly one claim:
 * claims of one name are served in the order they were made, streams in the order they started.
 */
final class StreamClaims {

	private final ScheduledExecutorService scheduler;

	private final Map<String, ArrayDeque<IncomingStream>> unclaimed = new HashMap<>();

	private final Map<String, ArrayDeque<CompletableFuture<IncomingStream>>> waiting = new HashMap<>();

	private @Nullable Exception ended;

	/**
	 * Creates the claims of one session.
	 * @param scheduler runs the timeouts of waiting claims
	 */
	StreamClaims(ScheduledExecutorService scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * Returns the next incoming stream with the given name: one that started and was not
	 * claimed yet, or the next one to start.
	 * @param name the transaction name
	 * @param timeout how long to wait
	 * @return the stream; fails with {@link TimeoutException} when none starts in time, and with
	 * a {@link CryoTransactionException} once the session has ended
	 */
	synchronized CompletableFuture<IncomingStream> claim(String name, Duration timeout) {
		ArrayDeque<IncomingStream> ready = this.unclaimed.get(name);
		if (ready != null && !ready.isEmpty()) {
			// Looked at before the end of the session: the streams left here then are the ones
			// that finished (the end fails and drops the others), and they can still be read.
			IncomingStream stream = ready.poll();
			if (ready.isEmpty()) {
				this.unclaimed.remove(name);
			}
			return CompletableFuture.completedFuture(stream);
		}
		CompletableFuture<IncomingStream> claim = new CompletableFuture<>();
		Exception cause = this.ended;
		if (cause != null) {
			claim.completeExceptionally(new CryoTransactionException("The session has ended", cause));
			return claim;
		}
		this.waiting.computeIfAbsent(name, (key) -> new ArrayDeque<>()).add(claim);
		this.scheduler.schedule(() -> {
			synchronized (this) {
				ArrayDeque<CompletableFuture<IncomingStream>> queue = this.waiting.get(name);
				if (queue != null && queue.remove(claim) && queue.isEmpty()) {
					this.waiting.remove(name);
				}
			}
			// A no-op when a stream came first.
			claim.completeExceptionally(new TimeoutException("No transaction named '" + name + "' within " + timeout));
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
		return claim;
	}

	/**
	 * Hands a stream that just started to the oldest waiting claim of its name, or keeps it for
	 * a later one.
	 * @param stream the stream
	 */
	synchronized void offer(IncomingStream stream) {
		ArrayDeque<CompletableFuture<IncomingStream>> claims = this.waiting.get(stream.name());
		while (claims != null && !claims.isEmpty()) {
			// A claim whose timeout fired a moment ago refuses the stream: try the next one.
			if (claims.poll().complete(stream)) {
				if (claims.isEmpty()) {
					this.waiting.remove(stream.name());
				}
				return;
			}
		}
		if (claims != null) {
			this.waiting.remove(stream.name());
		}
		ArrayDeque<IncomingStream> ready = this.unclaimed.computeIfAbsent(stream.name(), (key) -> new ArrayDeque<>());
		ready.add(stream);
		// Kept only until someone else takes it (an event listener that opens it) or it fails:
		// a finished stream that was read must not stay here until the session ends.
		stream.whenTaken(() -> forget(stream));
	}

	private synchronized void forget(IncomingStream stream) {
		ArrayDeque<IncomingStream> ready = this.unclaimed.get(stream.name());
		if (ready != null && ready.remove(stream) && ready.isEmpty()) {
			this.unclaimed.remove(stream.name());
		}
	}

	/**
	 * Refuses claims from now on, and takes the claims still waiting. The caller fails them
	 * outside of any lock, since failing a claim runs its callbacks.
	 * @param cause why the session ended
	 * @return the claims that were waiting
	 */
	synchronized List<CompletableFuture<IncomingStream>> end(Exception cause) {
		this.ended = cause;
		List<CompletableFuture<IncomingStream>> claims = new ArrayList<>();
		this.waiting.values().forEach(claims::addAll);
		this.waiting.clear();
		return claims;
	}

}
