package io.hotpass.platform.tenancy;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code @Transactional} method whose statements must run under the caller's tenant:
 * the PostgreSQL session variable that row-level security policies read is set at the start of
 * the transaction. Put it beside {@code @Transactional}; it runs inside the transaction.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Tenanted {
}
