package dev.cryo.server.support;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;

import dev.cryo.server.Box;
import dev.cryo.server.CryoExtension;
import dev.cryo.server.CryoSendVetoedException;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;

/**
 * The ordered registry of a server's extensions and the chain that runs their hooks. Lookups
 * and hook runs see a consistent snapshot; registration at runtime is safe while sessions are
 * running.
 */
final class CryoExtensions {

	private static final Log logger = LogFactory.getLog(CryoExtensions.class);

	private final CopyOnWriteArrayList<CryoExtension> extensions = new CopyOnWriteArrayList<>();

	/** Each extension's order, so that orders declared on bean methods survive registration. */
	private final Map<CryoExtension, Integer> orders = new IdentityHashMap<>();

	/**
	 * Adds an extension in the position of its own {@code @Order} or {@link Ordered} value.
	 * @param extension the extension
	 * @param server the server, passed to {@link CryoExtension#onRegister}
	 * @throws IllegalArgumentException if an extension with the same name is registered
	 */
	public void register(CryoExtension extension, CryoServer server) {
		register(extension, orderOf(extension), server);
	}

	/**
	 * Adds an extension at the given order; extensions with equal orders keep their
	 * registration order.
	 * @param extension the extension
	 * @param order the order, lower first
	 * @param server the server, passed to {@link CryoExtension#onRegister}
	 * @throws IllegalArgumentException if an extension with the same name is registered
	 */
	public void register(CryoExtension extension, int order, CryoServer server) {
		synchronized (this.extensions) {
			if (find(extension.name()).isPresent()) {
				throw new IllegalArgumentException("A Cryo extension named '" + extension.name() + "' is already registered");
			}
			this.orders.put(extension, order);
			List<CryoExtension> ordered = new ArrayList<>(this.extensions);
			ordered.add(extension);
			// A stable sort: equal orders stay in registration order.
			ordered.sort(Comparator.comparingInt(this.orders::get));
			this.extensions.clear();
			this.extensions.addAll(ordered);
		}
		extension.onRegister(server);
	}

	private static int orderOf(CryoExtension extension) {
		if (extension instanceof Ordered ordered) {
			return ordered.getOrder();
		}
		return OrderUtils.getOrder(extension.getClass(), Ordered.LOWEST_PRECEDENCE);
	}

	/**
	 * Removes the extension with the given name.
	 * @param name the name
	 * @param server the server, passed to {@link CryoExtension#onUnregister}
	 * @return the removed extension, if there was one
	 */
	public Optional<CryoExtension> unregister(String name, CryoServer server) {
		CryoExtension removed;
		synchronized (this.extensions) {
			removed = find(name).orElse(null);
			if (removed == null) {
				return Optional.empty();
			}
			this.extensions.remove(removed);
			this.orders.remove(removed);
		}
		removed.onUnregister(server);
		return Optional.of(removed);
	}

	/**
	 * Finds an extension by name.
	 * @param name the name
	 * @return the extension, if registered
	 */
	public Optional<CryoExtension> find(String name) {
		for (CryoExtension extension : this.extensions) {
			if (extension.name().equals(name)) {
				return Optional.of(extension);
			}
		}
		return Optional.empty();
	}

	/**
	 * Returns the registered extensions in chain order.
	 * @return an immutable snapshot
	 */
	public List<CryoExtension> all() {
		return List.copyOf(this.extensions);
	}

	/**
	 * Runs {@link CryoExtension#beforeSendUtf8} of every extension.
	 * @return the name of the extension that dropped the frame, or {@code null} if none did
	 */
	public @Nullable String beforeSendUtf8(CryoSession session, Box<String> text) {
		return run(session, (extension) -> extension.beforeSendUtf8(session, text), "beforeSendUtf8");
	}

	/** Runs {@link CryoExtension#beforeSendBinary} of every extension; returns the vetoing extension's name or {@code null}. */
	public @Nullable String beforeSendBinary(CryoSession session, Box<ByteBuffer> payload) {
		return run(session, (extension) -> extension.beforeSendBinary(session, payload), "beforeSendBinary");
	}

	/** Runs {@link CryoExtension#beforeSendError} of every extension; returns the vetoing extension's name or {@code null}. */
	public @Nullable String beforeSendError(CryoSession session, Box<String> message) {
		return run(session, (extension) -> extension.beforeSendError(session, message), "beforeSendError");
	}

	/** Runs {@link CryoExtension#onReceiveUtf8} of every extension; returns whether the message may be published. */
	public boolean onReceiveUtf8(CryoSession session, Box<String> text) {
		return run(session, (extension) -> extension.onReceiveUtf8(session, text), "onReceiveUtf8") == null;
	}

	/** Runs {@link CryoExtension#onReceiveBinary} of every extension; returns whether the message may be published. */
	public boolean onReceiveBinary(CryoSession session, Box<ByteBuffer> payload) {
		return run(session, (extension) -> extension.onReceiveBinary(session, payload), "onReceiveBinary") == null;
	}

	/** Runs {@link CryoExtension#onReceiveError} of every extension; returns whether the frame may be published. */
	public boolean onReceiveError(CryoSession session, Box<String> message) {
		return run(session, (extension) -> extension.onReceiveError(session, message), "onReceiveError") == null;
	}

	/**
	 * Creates the exception for a send that an extension dropped.
	 * @param extensionName the extension's name
	 * @return the exception to fail the send's future with
	 */
	static CryoSendVetoedException vetoedBy(String extensionName) {
		return new CryoSendVetoedException(extensionName);
	}

	private @Nullable String run(CryoSession session, Hook hook, String hookName) {
		for (CryoExtension extension : this.extensions) {
			try {
				if (!hook.apply(extension)) {
					return extension.name();
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Cryo extension '" + extension.name() + "' failed in " + hookName + " for session "
						+ session.idString() + "; continuing as if it allowed the frame", ex);
			}
		}
		return null;
	}

	@FunctionalInterface
	private interface Hook {

		boolean apply(CryoExtension extension);

	}

}
