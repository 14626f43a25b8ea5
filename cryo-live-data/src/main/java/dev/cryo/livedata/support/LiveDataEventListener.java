package dev.cryo.livedata.support;

import org.hibernate.event.spi.AbstractEvent;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.persister.entity.EntityPersister;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.cryo.endpoint.support.Envelopes;

/**
 * Captures the changes of watched entities as Hibernate writes them: after each row's INSERT,
 * UPDATE or DELETE statement (at flush time, inside the transaction), the allow-listed values of
 * the state Hibernate just wrote are encoded into a {@link LiveDataChange} and handed to the
 * {@link TransactionBuffers}, which holds them until the transaction's outcome is known.
 *
 * <p>Why the flush-time events and not Hibernate's {@code PostCommit*} listeners: those are
 * called once per row after the commit, with nothing marking where one transaction's rows end,
 * so a transaction could not be handed to delivery as one unit, and two transactions committing
 * on two threads could interleave. Capturing at flush and delivering from the session's own
 * transaction-completion callbacks gives one unit per transaction, an exact point just before the
 * database commit to take the transaction's place in the delivery order, and the outcome
 * afterwards; it works the same under Spring's {@code JpaTransactionManager}, plain
 * {@code EntityTransaction}s and JTA, with no dependency on Spring's synchronization being
 * active.
 *
 * <p>Not tracked: bulk JPQL/HQL/Criteria {@code UPDATE} and {@code DELETE} statements and native
 * SQL, which change rows without loading them, so Hibernate raises no per-row events.
 */
final class LiveDataEventListener implements PostInsertEventListener, PostUpdateEventListener, PostDeleteEventListener {

	static final String CREATE = "create";

	static final String UPDATE = "update";

	static final String DELETE = "delete";

	private final ModelCatalog catalog;

	private final JsonMapper mapper;

	private final Envelopes envelopes;

	private final TransactionBuffers buffers;

	LiveDataEventListener(ModelCatalog catalog, JsonMapper mapper, TransactionBuffers buffers) {
		this.catalog = catalog;
		this.mapper = mapper;
		this.envelopes = new Envelopes(mapper);
		this.buffers = buffers;
	}

	@Override
	public void onPostInsert(PostInsertEvent event) {
		capture(event.getPersister(), CREATE, event.getId(), event.getState(), event);
	}

	@Override
	public void onPostUpdate(PostUpdateEvent event) {
		capture(event.getPersister(), UPDATE, event.getId(), event.getState(), event);
	}

	@Override
	public void onPostDelete(PostDeleteEvent event) {
		capture(event.getPersister(), DELETE, event.getId(), event.getDeletedState(), event);
	}

	@Override
	public boolean requiresPostCommitHandling(EntityPersister persister) {
		return false;
	}

	private void capture(EntityPersister persister, String operation, Object id, Object @Nullable [] state,
			AbstractEvent event) {
		LiveDataModel model = this.catalog.forEntity(persister.getEntityName());
		if (model == null) {
			return;
		}
		ObjectNode data = this.mapper.createObjectNode();
		data.put("operation", operation);
		data.put("model", model.name());
		ObjectNode fields = data.putObject("fields");
		fields.set(model.idProperty(), this.mapper.valueToTree(id));
		for (LiveDataModel.Field field : model.fields()) {
			// The value as written now: encoding it here snapshots it, whatever the entity
			// becomes before the commit.
			Object value = (state != null) ? state[field.index()] : null;
			if (value != null) {
				fields.set(field.name(), this.mapper.valueToTree(value));
			}
			else {
				fields.putNull(field.name());
			}
		}
		// Encoded once here, in the endpoint layer's notification envelope: every subscriber is
		// sent the same text.
		String notification = this.envelopes.notification(LiveDataChange.NOTIFICATION_TYPE, data);
		this.buffers.capture(event.getSession(), new LiveDataChange(model.name(), id, notification));
	}

}
