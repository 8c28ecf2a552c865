package ai.lipsync.aws.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects one {@link MotoServer} (a constructor or method parameter of type {@code MotoServer} or
 * {@code AwsBackend}) shared by every test class of the run, and stops it when the run ends.
 * Each test gives its resources their own names ({@link AwsBackend#freshSettings()}).
 */
public final class MotoExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MotoExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == MotoServer.class || type == AwsBackend.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(MotoServer.class, key -> MotoServer.start(), MotoServer.class);
    }
}
