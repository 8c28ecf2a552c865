package ai.lipsync.aws;

import ai.lipsync.settings.LipsyncSettings;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds {@link LipsyncSettings} from {@code lipsync.*} with Spring Boot's {@link Binder} (no
 * application context needed): the web app and the Lambda function from their Spring
 * {@link Environment} (application.yml, {@code --lipsync.x=y}, environment variables), the worker
 * from its process environment. Every setting thus has one property name and one environment name
 * everywhere ({@code lipsync.video.max-bitrate} is {@code LIPSYNC_VIDEO_MAXBITRATE}), durations are
 * Spring's ({@code 20s}, {@code 500ms}, {@code PT20S}; a bare number is milliseconds). Here because
 * every process that binds (functions/api, functions/local, functions/worker) depends on this module.
 */
public final class SettingsBinder {
    public static final String PREFIX = "lipsync";
    private static final Pattern PROPERTY = Pattern.compile("lipsync(\\.[a-z0-9\\-]+)+");

    private SettingsBinder() {
    }

    /**
     * The settings from a Spring environment, validated as a whole.
     *
     * @throws IllegalArgumentException naming the setting (property and environment name) that is unusable
     */
    public static LipsyncSettings bind(Environment environment) {
        return bind(Binder.get(environment));
    }

    /** The settings from environment variables ({@code LIPSYNC_VIDEO_FPS}, ...), as the worker reads them. */
    public static LipsyncSettings bind(Map<String, String> env) {
        var source = new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new HashMap<>(env));
        return bind(new Binder(ConfigurationPropertySources.from(source)));
    }

    /** From configuration property sources (a test's dotted names, say). */
    public static LipsyncSettings bind(Iterable<ConfigurationPropertySource> sources) {
        return bind(new Binder(sources));
    }

    private static LipsyncSettings bind(Binder binder) {
        try {
            return binder.bindOrCreate(PREFIX, LipsyncSettings.class);
        } catch (BindException e) {
            throw new IllegalArgumentException(withEnvironmentNames(describe(e)), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(withEnvironmentNames(e.getMessage()), e);
        }
    }

    /** The record's own message when a value was refused by it, else the property, its value and why. */
    private static String describe(BindException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null && t.getMessage().startsWith(PREFIX)) {
                return t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConversionFailedException c && c.getTargetType().getType().isEnum()) {
                why = "must be one of " + Arrays.stream(c.getTargetType().getType().getEnumConstants())
                        .map(v -> ((Enum<?>) v).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                        .collect(Collectors.joining(", "));
            }
        }
        if (e.getProperty() != null) {
            return e.getProperty().getName() + " cannot be '" + e.getProperty().getValue() + "': " + why;
        }
        return e.getName() + ": " + why;
    }

    /** Adds each named property's environment variable: an operator sets one or the other. */
    public static String withEnvironmentNames(String message) {
        Matcher m = PROPERTY.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group() + " (" + environmentName(m.group()) + ")"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Spring Boot's canonical environment name of a property: {@code lipsync.video.max-bitrate} -> {@code LIPSYNC_VIDEO_MAXBITRATE}. */
    public static String environmentName(String property) {
        return property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }
}
