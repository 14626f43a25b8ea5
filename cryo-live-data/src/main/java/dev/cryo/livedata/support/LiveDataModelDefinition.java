package dev.cryo.livedata.support;

import java.util.List;

import org.springframework.util.Assert;

/**
 * A watched entity declared by configuration rather than with
 * {@link dev.cryo.livedata.LiveData @LiveData}; it wins over the annotation for the same entity.
 *
 * @param model the model's name
 * @param entity the entity's class name (or Hibernate entity name)
 * @param fields the allow-list of basic properties that notifications carry (the id is always
 * sent)
 * @param autoSubscribe whether every connection subscribes to the model when it opens
 */
public record LiveDataModelDefinition(String model, String entity, List<String> fields, boolean autoSubscribe) {

	public LiveDataModelDefinition {
		Assert.hasText(model, "'model' must not be empty");
		Assert.hasText(entity, "'entity' must not be empty");
		fields = List.copyOf(fields);
	}

}
