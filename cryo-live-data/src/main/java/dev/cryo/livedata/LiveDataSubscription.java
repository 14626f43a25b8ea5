package dev.cryo.livedata;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One subscription of a connection: a whole model, or one of its rows.
 *
 * @param model the model's name
 * @param id the row's id converted to the entity's id type, {@code null} for the whole model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LiveDataSubscription(String model, @Nullable Object id) {

}
