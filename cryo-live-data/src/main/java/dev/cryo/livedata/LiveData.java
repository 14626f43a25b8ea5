package dev.cryo.livedata;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Watches a JPA entity: every committed create, update and delete of one of its rows is sent to
 * the connections subscribed to the model, or to that row by id, as a {@code data-changed}
 * notification carrying the row's id and the {@link #fields() public fields}, never any other
 * column.
 *
 * <pre class="code">
 * &#64;Entity
 * &#64;LiveData(fields = { "id", "title", "content", "authorId" })
 * class Post { … private String internalNotes; }
 * </pre>
 *
 * <p>The same can be declared without the annotation through the
 * {@code cryo.endpoints.live-data.models.<model>.*} properties, which win over the annotation for
 * the same entity.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface LiveData {

	/**
	 * The model's name, what subscriptions and notifications call it; empty for the entity's
	 * simple class name.
	 * @return the name
	 */
	String model() default "";

	/**
	 * The allow-list: names of the entity's basic properties that notifications carry. The id is
	 * always sent, under its property name; every other property stays on the server.
	 * Associations and collections cannot be listed (their state would reach other entities'
	 * private fields); list a foreign key column mapped as a basic property instead.
	 * @return the property names
	 */
	String[] fields() default {};

	/**
	 * Whether every connection is subscribed to the whole model when it opens.
	 * @return whether connections subscribe automatically
	 */
	boolean autoSubscribe() default false;

}
