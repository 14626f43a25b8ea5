package dev.cryo.livedata.support;

import java.util.List;

/**
 * One watched entity as Hibernate maps it: which state slots the allow-listed fields are, resolved
 * once from the persister so that a change costs an array read per field.
 *
 * @param name the model's name
 * @param entityName Hibernate's entity name (one per persister: a subclass entity has its own)
 * @param idProperty the id's property name, under which notifications carry it
 * @param idType the id's Java type, what subscription ids are converted to
 * @param fields the allow-listed fields other than the id, in declaration order
 * @param autoSubscribe whether connections subscribe to it when they open
 */
record LiveDataModel(String name, String entityName, String idProperty, Class<?> idType, List<Field> fields,
		boolean autoSubscribe) {

	/**
	 * One allow-listed field.
	 *
	 * @param name the property's name
	 * @param index its slot in the persister's state arrays
	 */
	record Field(String name, int index) {

	}

}
