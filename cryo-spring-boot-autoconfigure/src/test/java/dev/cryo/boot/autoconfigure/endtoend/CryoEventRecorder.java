package dev.cryo.boot.autoconfigure.endtoend;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import org.springframework.context.event.EventListener;

import dev.cryo.core.SessionId;
import dev.cryo.server.event.CryoSessionEvent;

/**
 * Records every Cryo session event, per session id, in arrival order. Reading is
 * non-destructive, so a test can wait for one event and then check how many of a kind arrived.
 */
public class CryoEventRecorder {

	private static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

	private final Map<SessionId, BlockingQueue<CryoSessionEvent>> events = new ConcurrentHashMap<>();

	@EventListener
	void on(CryoSessionEvent event) {
		queue(event.getSession().id()).add(event);
	}

	/**
	 * Returns the events of one kind received so far for a session.
	 * @param sid the session id
	 * @param type the event type
	 * @return the events, oldest first
	 */
	public <T extends CryoSessionEvent> List<T> events(SessionId sid, Class<T> type) {
		return queue(sid).stream().filter(type::isInstance).map(type::cast).toList();
	}

	/**
	 * Waits for the first event of one kind for a session.
	 * @param sid the session id
	 * @param type the event type
	 * @return the event
	 */
	public <T extends CryoSessionEvent> T await(SessionId sid, Class<T> type) {
		return awaitCount(sid, type, 1).get(0);
	}

	/**
	 * Waits until at least {@code count} events of one kind arrived for a session.
	 * @return all events of that kind so far
	 */
	public <T extends CryoSessionEvent> List<T> awaitCount(SessionId sid, Class<T> type, int count) {
		return awaitCount(sid, type, count, DEFAULT_WAIT);
	}

	/**
	 * Waits until at least {@code count} events of one kind arrived for a session.
	 * @return all events of that kind so far
	 */
	public <T extends CryoSessionEvent> List<T> awaitCount(SessionId sid, Class<T> type, int count, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		while (true) {
			List<T> found = events(sid, type);
			if (found.size() >= count) {
				return found;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Expected " + count + " " + type.getSimpleName() + " for session "
						+ sid + " within " + wait.toMillis() + " ms, got " + found.size()
						+ "; all events: " + queue(sid));
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	private BlockingQueue<CryoSessionEvent> queue(SessionId sid) {
		return this.events.computeIfAbsent(sid, (key) -> new LinkedBlockingQueue<>());
	}

}
