package dev.cryo.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * One changed setting of one connection.
 *
 * @param plugin the plugin that declares the setting
 * @param setting the setting's name
 * @param oldValue the value before, as a JSON value
 * @param newValue the value now, as a JSON value
 */
public record SettingChange(String plugin, String setting, @Nullable Object oldValue, @Nullable Object newValue) {

}
