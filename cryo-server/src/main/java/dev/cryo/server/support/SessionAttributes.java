package dev.cryo.server.support;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.cryo.server.CryoSession;
import dev.cryo.server.CryoSessionAttribute;

/**
 * The attribute store of one session: the untyped map applications see, typed access to it
 * under each key's name, and the listeners of typed keys. Listeners are created on first use,
 * so an idle session without listeners holds only the (lazily sized) map.
 */
final class SessionAttributes {

	private static final Log logger = LogFactory.getLog(SessionAttributes.class);

	private final Map<String, Object> values = new ConcurrentHashMap<>();

	private volatile @Nullable Map<CryoSessionAttribute<?>, List<CryoSessionAttribute.Listener<?>>> listeners;

	Map<String, Object> values() {
		return this.values;
	}

	<T> @Nullable T get(CryoSessionAttribute<T> key) {
		return key.type().cast(this.values.get(key.name()));
	}

	<T> @Nullable T set(CryoSession session, CryoSessionAttribute<T> key, @Nullable T value) {
		Object previous = (value != null) ? this.values.put(key.name(), key.type().cast(value))
				: this.values.remove(key.name());
		// Untyped code may have stored something else under the name: listeners see no old value then.
		T old = key.type().isInstance(previous) ? key.type().cast(previous) : null;
		if (!Objects.equals(previous, value)) {
			notifyListeners(session, key, old, value);
		}
		return old;
	}

	<T> void addListener(CryoSessionAttribute<T> key, CryoSessionAttribute.Listener<? super T> listener) {
		Map<CryoSessionAttribute<?>, List<CryoSessionAttribute.Listener<?>>> all = this.listeners;
		if (all == null) {
			synchronized (this) {
				all = this.listeners;
				if (all == null) {
					all = new ConcurrentHashMap<>();
					this.listeners = all;
				}
			}
		}
		all.computeIfAbsent(key, (unused) -> new CopyOnWriteArrayList<>()).add(listener);
	}

	<T> void removeListener(CryoSessionAttribute<T> key, CryoSessionAttribute.Listener<? super T> listener) {
		Map<CryoSessionAttribute<?>, List<CryoSessionAttribute.Listener<?>>> all = this.listeners;
		if (all != null) {
			List<CryoSessionAttribute.Listener<?>> ofKey = all.get(key);
			if (ofKey != null) {
				ofKey.remove(listener);
			}
		}
	}

	@SuppressWarnings("unchecked")
	private <T> void notifyListeners(CryoSession session, CryoSessionAttribute<T> key, @Nullable T oldValue,
			@Nullable T newValue) {
		Map<CryoSessionAttribute<?>, List<CryoSessionAttribute.Listener<?>>> all = this.listeners;
		List<CryoSessionAttribute.Listener<?>> ofKey = (all != null) ? all.get(key) : null;
		if (ofKey == null) {
			return;
		}
		for (CryoSessionAttribute.Listener<?> listener : ofKey) {
			try {
				// Registered for this key, so it accepts a supertype of T.
				((CryoSessionAttribute.Listener<T>) listener).attributeChanged(session, oldValue, newValue);
			}
			catch (RuntimeException ex) {
				logger.warn("Listener of attribute '" + key.name() + "' of Cryo session " + session.idString()
						+ " failed", ex);
			}
		}
	}

}
