package io.hotpass.platform.tenancy;

import io.hotpass.platform.auth.CallerContext;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Runs after (inside) the {@code @Transactional} interceptor, whose priority is
 * {@code PLATFORM_BEFORE + 200}, and sets the caller's tenant on the transaction's connection.
 */
@Tenanted
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 250)
public class TenantSessionInterceptor {

    @Inject
    CallerContext callerContext;

    @Inject
    TenantSession tenantSession;

    @AroundInvoke
    Object applyTenant(InvocationContext ctx) throws Exception {
        tenantSession.apply(callerContext.tenant());
        return ctx.proceed();
    }
}
