package dev.mbus.sample.web;

import dev.mbus.sample.SampleProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves only requests addressed to this application's own names: {@code localhost},
 * {@code 127.0.0.1}, {@code ::1}, {@code server.address} and {@code sample.web.allowed-hosts}.
 * A page of another site whose name was made to resolve to this machine (DNS rebinding) sends
 * its own name in {@code Host}, and is refused: without this it could send commands, signed
 * with the user's key, through {@code /api/send}.
 */
@Component
class HostCheck extends OncePerRequestFilter {

    private static final String REFUSAL = "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
            + "\"detail\":\"this application answers requests for localhost and the names in sample.web.allowed-hosts only\"}";

    private final Set<String> allowed = new HashSet<>(Set.of("localhost", "127.0.0.1", "::1"));

    HostCheck(SampleProperties properties, @Value("${server.address:}") String serverAddress) {
        if (!serverAddress.isBlank() && !Set.of("0.0.0.0", "::").contains(normalize(serverAddress))) {
            allowed.add(normalize(serverAddress));
        }
        properties.web().allowedHosts().forEach(host -> allowed.add(normalize(host)));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (allowed.contains(normalize(request.getServerName()))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write(REFUSAL);
    }

    /** {@code [::1]} and {@code ::1}, {@code LocalHost.} and {@code localhost} are the same name. */
    static String normalize(String host) {
        String name = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
