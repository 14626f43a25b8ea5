package dev.cryo.livedata.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.hibernate.metamodel.MappingMetamodel;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.Type;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

import dev.cryo.livedata.LiveData;

/**
 * The watched entities, built once from Hibernate's metamodel: every entity annotated
 * {@link LiveData @LiveData} (on it or a superclass entity) and every entity named by a
 * {@link LiveDataModelDefinition}. A definition that names no entity, a field that is not a
 * property, or an association or collection in the allow-list fails at startup rather than
 * leaking or silently sending nothing.
 */
final class ModelCatalog {

	private final Map<String, LiveDataModel> byEntityName;

	/** Model name to the id type shared by its entities. */
	private final Map<String, Class<?>> idTypes;

	private final List<String> autoSubscribed;

	private ModelCatalog(Map<String, LiveDataModel> byEntityName) {
		this.byEntityName = Map.copyOf(byEntityName);
		Map<String, Class<?>> ids = new TreeMap<>();
		Set<String> auto = new LinkedHashSet<>();
		for (LiveDataModel model : byEntityName.values()) {
			Class<?> previous = ids.putIfAbsent(model.name(), model.idType());
			if (previous != null && !previous.equals(model.idType())) {
				throw new IllegalStateException("Live-data model '" + model.name()
						+ "' maps entities with different id types (" + previous.getName() + ", "
						+ model.idType().getName() + ")");
			}
			if (model.autoSubscribe()) {
				auto.add(model.name());
			}
		}
		this.idTypes = ids;
		this.autoSubscribed = List.copyOf(auto);
	}

	static ModelCatalog build(MappingMetamodel metamodel, Collection<LiveDataModelDefinition> definitions) {
		Map<String, LiveDataModelDefinition> configured = new HashMap<>();
		for (LiveDataModelDefinition definition : definitions) {
			configured.put(definition.entity(), definition);
		}
		Set<String> matched = new LinkedHashSet<>();
		Map<String, LiveDataModel> models = new HashMap<>();
		metamodel.forEachEntityDescriptor((persister) -> {
			Class<?> type = persister.getMappedClass();
			LiveDataModelDefinition definition = configured.get(persister.getEntityName());
			if (definition == null && type != null) {
				definition = configured.get(type.getName());
			}
			if (definition != null) {
				matched.add(definition.entity());
				models.put(persister.getEntityName(), resolve(persister, definition.model(), definition.fields(),
						definition.autoSubscribe()));
				return;
			}
			LiveData annotation = (type != null) ? AnnotatedElementUtils.findMergedAnnotation(type, LiveData.class)
					: null;
			if (annotation != null) {
				String name = StringUtils.hasText(annotation.model()) ? annotation.model()
						: watchedClass(type).getSimpleName();
				models.put(persister.getEntityName(),
						resolve(persister, name, Arrays.asList(annotation.fields()), annotation.autoSubscribe()));
			}
		});
		for (String entity : configured.keySet()) {
			if (!matched.contains(entity)) {
				throw new IllegalStateException("No JPA entity '" + entity + "' for live-data model '"
						+ configured.get(entity).model() + "'");
			}
		}
		return new ModelCatalog(models);
	}

	/** The class that carries the annotation, whose simple name is the default model name. */
	private static Class<?> watchedClass(Class<?> type) {
		Class<?> candidate = type;
		while (candidate.getSuperclass() != null && !candidate.isAnnotationPresent(LiveData.class)) {
			candidate = candidate.getSuperclass();
		}
		return candidate.isAnnotationPresent(LiveData.class) ? candidate : type;
	}

	private static LiveDataModel resolve(EntityPersister persister, String name, List<String> allowList,
			boolean autoSubscribe) {
		String idProperty = persister.getIdentifierPropertyName();
		if (idProperty == null) {
			throw new IllegalStateException("Live-data model '" + name + "' (" + persister.getEntityName()
					+ ") has no single id property");
		}
		List<String> properties = Arrays.asList(persister.getPropertyNames());
		Type[] types = persister.getPropertyTypes();
		List<LiveDataModel.Field> fields = new ArrayList<>();
		for (String field : new LinkedHashSet<>(allowList)) {
			if (field.equals(idProperty)) {
				continue;
			}
			int index = properties.indexOf(field);
			if (index < 0) {
				throw new IllegalStateException("Live-data model '" + name + "' allows '" + field
						+ "', which is not a property of " + persister.getEntityName());
			}
			if (types[index].isAssociationType() || types[index].isCollectionType()) {
				throw new IllegalStateException("Live-data model '" + name + "' allows '" + field
						+ "', an association or collection; only basic properties can be sent");
			}
			fields.add(new LiveDataModel.Field(field, index));
		}
		return new LiveDataModel(name, persister.getEntityName(), idProperty,
				persister.getIdentifierType().getReturnedClass(), fields, autoSubscribe);
	}

	/**
	 * Returns the model of a persister.
	 * @param entityName the persister's entity name
	 * @return the model, {@code null} when the entity is not watched
	 */
	@Nullable LiveDataModel forEntity(String entityName) {
		return this.byEntityName.get(entityName);
	}

	/**
	 * Returns the id type of a model.
	 * @param model the model's name
	 * @return the id type, {@code null} for an unknown model
	 */
	@Nullable Class<?> idType(String model) {
		return this.idTypes.get(model);
	}

	List<String> modelNames() {
		return List.copyOf(this.idTypes.keySet());
	}

	List<String> autoSubscribed() {
		return this.autoSubscribed;
	}

	boolean isEmpty() {
		return this.byEntityName.isEmpty();
	}

}
