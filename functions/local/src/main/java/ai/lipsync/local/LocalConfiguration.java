package ai.lipsync.local;

import ai.lipsync.api.ApiDocument;
import ai.lipsync.api.ApiJson;
import ai.lipsync.api.ApiRouter;
import ai.lipsync.api.CreateAvatarFunction;
import ai.lipsync.api.StartStreamFunction;
import ai.lipsync.hls.HlsWorkDirs;
import ai.lipsync.pipeline.TtsAudioStore;
import ai.lipsync.pipeline.GenerationAssembly;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.pipeline.GenerationMetrics;
import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.InProcessJobQueue;
import ai.lipsync.session.JobHandler;
import ai.lipsync.session.JobQueue;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionJanitor;
import ai.lipsync.session.SessionService;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.settings.TtsConfig;
import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The embedded defaults: sessions in memory, an in-process queue, the configured TTS, and the
 * servlet that puts the API functions on the spec's paths.
 */
@Configuration(proxyBeanMethods = false)
public class LocalConfiguration {
    /** Beans of the embedded default only: the {@code aws} profile brings DynamoDB, SQS and S3 instead (AwsModeConfiguration). */
    static final String EMBEDDED = "!aws";
    private static final Logger log = LoggerFactory.getLogger(LocalConfiguration.class);

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Profile(EMBEDDED)
    @Bean
    public InMemorySessionStore sessionStore() {
        return new InMemorySessionStore();
    }

    /**
     * Sweeps expired sessions (record, stream, tts.mp3) on one daemon thread, and the folders of
     * sessions a crash or a restart forgot: once now, before the first request, then on each sweep.
     */
    @Profile(EMBEDDED)
    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService sessionJanitor(InMemorySessionStore sessionStore,
                                                   FileSystemStreamStore streamStore, TtsAudioStore ttsAudioStore,
                                                   HlsWorkDirs hlsWorkDirs, LipsyncSettings props, Clock clock) {
        SessionJanitor janitor = new SessionJanitor(sessionStore, List.of(streamStore, ttsAudioStore, hlsWorkDirs),
                props.retention().keep(), clock);
        try {
            janitor.sweepOrphans();
        } catch (RuntimeException e) {
            // Old files are no reason not to serve: the scheduled sweeps try again.
            log.error("sweeping the folders of forgotten sessions failed", e);
        }
        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "session-janitor");
            thread.setDaemon(true);
            return thread;
        });
        long every = props.retention().sweepInterval().toMillis();
        schedule.scheduleWithFixedDelay(() -> {
            try {
                janitor.sweep();
            } catch (RuntimeException e) {
                // A failed sweep must not cancel the schedule: the next one tries again.
                log.error("expiring old sessions failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return schedule;
    }

    /** One client for the HTTP TTS providers (GenerationAssembly's, with its connect timeout): it owns a connection pool. */
    @Profile(EMBEDDED)
    @Bean
    public HttpClient ttsHttpClient() {
        return GenerationAssembly.ttsHttpClient();
    }

    @Profile(EMBEDDED)
    @Bean
    public SpeechSynthesizer speechSynthesizer(LipsyncSettings props, HttpClient ttsHttpClient) {
        TtsConfig config = props.tts();
        SpeechSynthesizer synthesizer = GenerationAssembly.speechSynthesizer(props, ttsHttpClient);
        if (props.startup().checkPrerequisites()) {
            Prerequisites.check(config, synthesizer);
        }
        log.info("speech synthesizer ready [provider={}, url={}, timeout={}]",
                synthesizer.name(), config.url() == null ? "default" : config.url(), config.timeout());
        return synthesizer;
    }

    @Profile(EMBEDDED)
    @Bean(destroyMethod = "close")
    public InProcessJobQueue jobQueue(JobHandler handler, LipsyncSettings props, GenerationMetrics generationMetrics) {
        LipsyncSettings.Queue q = props.queue();
        log.info("job queue ready [capacity={}, workers={}]", q.capacity(), q.workers());
        InProcessJobQueue queue = new InProcessJobQueue(handler, q.capacity(), q.workers(), q.retryAfter(),
                q.drainTimeout());
        generationMetrics.queueDepth(queue::waiting);
        return queue;
    }

    @Bean
    public SessionService sessionService(SessionStore sessionStore, JobQueue jobQueue,
                                         Predicate<String> knownAvatars,
                                         LipsyncSettings props, Clock clock,
                                         ObjectProvider<GenerationMetrics> generationMetrics) {
        String defaultAvatar = props.avatar().defaultId();
        if (!knownAvatars.test(defaultAvatar)) {
            throw new MissingPrerequisiteException("The default avatar '" + defaultAvatar + "' does not exist.",
                    "Put " + defaultAvatar + ".mp4 into " + props.avatar().videoDir()
                            + ", or set LIPSYNC_AVATAR_DEFAULT_ID=default (the built-in avatar).");
        }
        // Where this JVM generates, a job the queue turns away is a session ended in queue_full.
        JobQueue queue = generationMetrics.stream().findFirst().map(m -> m.countingRefusals(jobQueue)).orElse(jobQueue);
        return new SessionService(sessionStore, queue, SessionIds.create(), knownAvatars,
                props.avatar().defaultId(), props.api().maxTextLength(), clock);
    }

    /** The {@code generation} component of /actuator/health/readiness: UP once every warm-up step has run. */
    @Bean
    public GenerationReadiness generationHealthIndicator(ObjectProvider<WarmUpStep> warmUpSteps) {
        return new GenerationReadiness(warmUpSteps.orderedStream().toList());
    }

    /** The spec's paths go to the router; everything else (the demo page, static files) to Spring MVC. */
    @Bean
    public ServletRegistrationBean<ApiServlet> apiServlet(ApiRouter lipsyncApi, StartStreamFunction startStream,
                                                          CreateAvatarFunction createAvatar) {
        // Bodies are read up to the largest any route takes (an avatar upload); each function checks its own.
        int maxBody = Math.max(startStream.maxBodyBytes(), createAvatar.maxBodyBytes());
        ServletRegistrationBean<ApiServlet> registration =
                new ServletRegistrationBean<>(new ApiServlet(lipsyncApi, maxBody), "/api/*", "/stream/*");
        registration.setName("lipsyncApi");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /** The OpenAPI document and its page's address: exact paths, which the servlet container prefers to /api/*. */
    @Bean
    public ServletRegistrationBean<ApiDocumentServlet> apiDocumentServlet(ApiJson json) {
        ServletRegistrationBean<ApiDocumentServlet> registration = new ServletRegistrationBean<>(
                new ApiDocumentServlet(json), ApiDocument.PATH, ApiDocumentServlet.DOCS);
        registration.setName("apiDocument");
        return registration;
    }

    @Bean
    public FilterRegistrationBean<CorsHeadersFilter> corsHeadersFilter() {
        FilterRegistrationBean<CorsHeadersFilter> registration = new FilterRegistrationBean<>(new CorsHeadersFilter());
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Outside the API routes (the router answers its own): methods the server routes nowhere get a JSON 405. */
    @Bean
    public FilterRegistrationBean<UnroutedMethodFilter> unroutedMethodFilter(ApiJson json) {
        FilterRegistrationBean<UnroutedMethodFilter> registration =
                new FilterRegistrationBean<>(new UnroutedMethodFilter(json));
        registration.setServletNames(List.of(DispatcherServletAutoConfiguration.DEFAULT_DISPATCHER_SERVLET_BEAN_NAME));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /**
     * Tomcat as the API needs it: an encoded slash (%2F) is passed through so the router refuses it
     * with the API's JSON error (Tomcat's own refusal is a bare HTML 400), and requests Tomcat
     * still refuses by itself get a JSON error body too. TRACE is let through to the application,
     * which answers it with the same JSON 405 as every other method it does not route (the
     * connector's own refusal has no body).
     */
    @Bean
    public TomcatServletWebServerFactory tomcatServletWebServerFactory() {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory() {
            @Override
            protected TomcatWebServer getTomcatWebServer(Tomcat tomcat) {
                ((StandardHost) tomcat.getHost()).setErrorReportValveClass(JsonErrorReportValve.class.getName());
                return super.getTomcatWebServer(tomcat);
            }
        };
        factory.addConnectorCustomizers((Connector connector) -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setAllowTrace(true);
        });
        return factory;
    }
}
