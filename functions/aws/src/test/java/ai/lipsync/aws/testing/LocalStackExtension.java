package ai.lipsync.aws.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * Injects one {@link LocalStackBackend} shared by every test class of the run. Without Docker the
 * test class is skipped with the reason (a condition evaluated before the class is instantiated,
 * so no container is attempted); the moto variant of the same contract runs everywhere.
 */
public final class LocalStackExtension implements ExecutionCondition, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean docker = context.getRoot().getStore(NAMESPACE).computeIfAbsent("docker",
                key -> DockerClientFactory.instance().isDockerAvailable(), Boolean.class);
        return docker
                ? ConditionEvaluationResult.enabled("Docker is available: running against LocalStack")
                : ConditionEvaluationResult.disabled(
                        "Docker is not available: the LocalStack variant is skipped (the moto variant runs the same tests)");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalStackBackend.class || type == AwsBackend.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(LocalStackBackend.class,
                key -> LocalStackBackend.start(), LocalStackBackend.class);
    }
}
