package dev.cryo.livedata.support;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.util.Assert;

import dev.cryo.core.LogText;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.livedata.LiveDataSubscription;
import dev.cryo.livedata.LiveDataSubscriptions;

/**
 * The subscriptions of every connection, and the delivery of committed changes to them. Changes
 * are looked up by model (connections subscribed to the whole model) and by model and id
 * (connections subscribed to the row); a connection in both sets is notified once. Subscriptions
 * change under one lock; deliveries read concurrent sets and never wait for a subscription.
 */
final class SubscriptionRegistry implements LiveDataSubscriptions {

	/** Most characters of a client's model name quoted back in an error. */
	private static final int MAX_QUOTED_CHARS = 64;

	private static final Log logger = LogFactory.getLog(SubscriptionRegistry.class);

	private final ModelCatalog catalog;

	private final int maxPerConnection;

	private final ConversionService conversionService = DefaultConversionService.getSharedInstance();

	private final Object lock = new Object();

	/** Notifications handed to connections. */
	private final AtomicLong sent = new AtomicLong();

	/** Subscriptions refused by the per-connection limit. */
	private final AtomicLong refused = new AtomicLong();

	/** Each connection's subscriptions, in order; connections are compared by identity. */
	private final Map<EndpointConnection, Set<LiveDataSubscription>> byConnection = new ConcurrentHashMap<>();

	/** Model name to the connections subscribed to all of its rows. */
	private final Map<String, Set<EndpointConnection>> modelSubscribers = new ConcurrentHashMap<>();

	/** Model name to row id to the connections subscribed to that row. */
	private final Map<String, Map<Object, Set<EndpointConnection>>> rowSubscribers = new ConcurrentHashMap<>();

	SubscriptionRegistry(ModelCatalog catalog, int maxPerConnection) {
		Assert.isTrue(maxPerConnection > 0, "'maxPerConnection' must be positive");
		this.catalog = catalog;
		this.maxPerConnection = maxPerConnection;
	}

	@Override
	public boolean subscribe(EndpointConnection connection, String model) {
		checkModel(model);
		return add(connection, new LiveDataSubscription(model, null), true);
	}

	@Override
	public boolean subscribe(EndpointConnection connection, String model, Object id) {
		return add(connection, new LiveDataSubscription(model, convertId(model, id)), true);
	}

	@Override
	public boolean unsubscribe(EndpointConnection connection, String model) {
		checkModel(model);
		return remove(connection, new LiveDataSubscription(model, null));
	}

	@Override
	public boolean unsubscribe(EndpointConnection connection, String model, Object id) {
		return remove(connection, new LiveDataSubscription(model, convertId(model, id)));
	}

	@Override
	public List<LiveDataSubscription> subscriptions(EndpointConnection connection) {
		Set<LiveDataSubscription> subscriptions = this.byConnection.get(connection);
		if (subscriptions == null) {
			return List.of();
		}
		synchronized (this.lock) {
			return List.copyOf(subscriptions);
		}
	}

	@Override
	public List<String> models() {
		return this.catalog.modelNames();
	}

	/**
	 * Subscribes a connection that just opened to the models declared to be subscribed
	 * automatically. These are configuration, bounded by the number of models, so they do not
	 * count against the limit.
	 * @param connection the connection
	 */
	void autoSubscribe(EndpointConnection connection) {
		for (String model : this.catalog.autoSubscribed()) {
			add(connection, new LiveDataSubscription(model, null), false);
		}
	}

	/**
	 * Removes every subscription of a connection that ended.
	 * @param connection the connection
	 */
	void forget(EndpointConnection connection) {
		synchronized (this.lock) {
			Set<LiveDataSubscription> subscriptions = this.byConnection.remove(connection);
			if (subscriptions != null) {
				subscriptions.forEach((subscription) -> unindex(connection, subscription));
			}
		}
	}

	/**
	 * Returns how many connections have subscriptions.
	 * @return the count
	 */
	int connectionCount() {
		return this.byConnection.size();
	}

	/**
	 * Returns how many subscriptions all connections hold.
	 * @return the count
	 */
	int subscriptionCount() {
		int count = 0;
		for (Set<LiveDataSubscription> subscriptions : this.byConnection.values()) {
			count += subscriptions.size();
		}
		return count;
	}

	/**
	 * Returns how many notifications were handed to connections.
	 * @return the count since start
	 */
	long notificationsSent() {
		return this.sent.get();
	}

	/**
	 * Returns how many subscriptions the per-connection limit refused.
	 * @return the count since start
	 */
	long subscriptionsRefused() {
		return this.refused.get();
	}

	/**
	 * Notifies every subscriber of each change, in order.
	 * @param changes one committed transaction's changes
	 */
	void deliver(List<LiveDataChange> changes) {
		for (LiveDataChange change : changes) {
			Set<EndpointConnection> all = this.modelSubscribers.getOrDefault(change.model(), Set.of());
			Map<Object, Set<EndpointConnection>> rows = this.rowSubscribers.get(change.model());
			Set<EndpointConnection> row = (rows != null) ? rows.getOrDefault(change.id(), Set.of()) : Set.of();
			for (EndpointConnection connection : all) {
				notify(connection, change);
			}
			for (EndpointConnection connection : row) {
				if (!all.contains(connection)) {
					notify(connection, change);
				}
			}
		}
	}

	private void notify(EndpointConnection connection, LiveDataChange change) {
		if (!connection.isOpen()) {
			return;
		}
		try {
			connection.sendText(change.notification());
			this.sent.incrementAndGet();
		}
		catch (RuntimeException ex) {
			// One connection's failure must not keep the change from the others.
			logger.warn("Live-data notification to connection " + LogText.escape(connection.id()) + " failed", ex);
		}
	}

	private boolean add(EndpointConnection connection, LiveDataSubscription subscription, boolean limited) {
		synchronized (this.lock) {
			Set<LiveDataSubscription> subscriptions = this.byConnection.computeIfAbsent(connection,
					(key) -> Collections.synchronizedSet(new LinkedHashSet<>()));
			if (subscriptions.contains(subscription)) {
				return false;
			}
			if (limited && subscriptions.size() >= this.maxPerConnection) {
				this.refused.incrementAndGet();
				throw new EndpointException("Too many subscriptions (limit " + this.maxPerConnection + ").");
			}
			subscriptions.add(subscription);
			index(connection, subscription);
		}
		if (!connection.isOpen()) {
			// It closed while subscribing: its close may have been handled already.
			forget(connection);
		}
		return true;
	}

	private boolean remove(EndpointConnection connection, LiveDataSubscription subscription) {
		synchronized (this.lock) {
			Set<LiveDataSubscription> subscriptions = this.byConnection.get(connection);
			if (subscriptions == null || !subscriptions.remove(subscription)) {
				return false;
			}
			if (subscriptions.isEmpty()) {
				this.byConnection.remove(connection);
			}
			unindex(connection, subscription);
			return true;
		}
	}

	private void index(EndpointConnection connection, LiveDataSubscription subscription) {
		if (subscription.id() == null) {
			this.modelSubscribers.computeIfAbsent(subscription.model(), (key) -> ConcurrentHashMap.newKeySet())
				.add(connection);
		}
		else {
			this.rowSubscribers.computeIfAbsent(subscription.model(), (key) -> new ConcurrentHashMap<>())
				.computeIfAbsent(subscription.id(), (key) -> ConcurrentHashMap.newKeySet())
				.add(connection);
		}
	}

	private void unindex(EndpointConnection connection, LiveDataSubscription subscription) {
		Object id = subscription.id();
		if (id == null) {
			Set<EndpointConnection> subscribers = this.modelSubscribers.get(subscription.model());
			if (subscribers != null) {
				subscribers.remove(connection);
				if (subscribers.isEmpty()) {
					this.modelSubscribers.remove(subscription.model());
				}
			}
			return;
		}
		Map<Object, Set<EndpointConnection>> rows = this.rowSubscribers.get(subscription.model());
		if (rows == null) {
			return;
		}
		Set<EndpointConnection> subscribers = rows.get(id);
		if (subscribers != null) {
			subscribers.remove(connection);
			if (subscribers.isEmpty()) {
				rows.remove(id);
			}
		}
		if (rows.isEmpty()) {
			this.rowSubscribers.remove(subscription.model());
		}
	}

	private Class<?> checkModel(String model) {
		Class<?> idType = this.catalog.idType(model);
		if (idType == null) {
			throw new EndpointException("Unknown model '" + LogText.escape(model, MAX_QUOTED_CHARS) + "'.");
		}
		return idType;
	}

	private Object convertId(String model, @Nullable Object id) {
		Class<?> idType = checkModel(model);
		if (id == null || id instanceof Map<?, ?> || id instanceof Iterable<?> || id instanceof Boolean) {
			throw invalidId(model);
		}
		try {
			Object converted = this.conversionService.convert(id, idType);
			if (converted == null) {
				throw invalidId(model);
			}
			return converted;
		}
		catch (ConversionException | IllegalArgumentException ex) {
			throw invalidId(model);
		}
	}

	private static EndpointException invalidId(String model) {
		return new EndpointException("Invalid id for model '" + LogText.escape(model, MAX_QUOTED_CHARS) + "'.");
	}

}
