package ai.lipsync.api;

import ai.lipsync.aws.SettingsBinder;
import ai.lipsync.settings.LipsyncSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The one settings tree ({@code lipsync.*}) of the Lambda function and the web app, bound from the
 * application's environment by the same {@link SettingsBinder} the worker uses; validated as a
 * whole at startup, a bad value stopping it with the setting named.
 */
@Configuration(proxyBeanMethods = false)
public class SettingsConfiguration {

    @Bean
    public LipsyncSettings lipsyncSettings(Environment environment) {
        return SettingsBinder.bind(environment);
    }
}
