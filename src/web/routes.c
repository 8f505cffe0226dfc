/* The router table: the one place where the permissions of every page are
 * declared. A route without roles does not compile (see ROUTE in http.h), and
 * tests/http/test_routes.c walks every route for every role. */
#include "bizsos/web.h"

#define ADMIN ROLE_ADMIN
#define ANY   ROLE_ANY_USER

const struct route web_routes[] = {
    ROUTE(HTTP_GET, "/healthz", web_healthz, ROLE_BARE),
    ROUTE(HTTP_GET, "/static/*", web_static, ROLE_BARE),

    ROUTE(HTTP_GET, "/login", web_login_form, ROLE_PUBLIC),
    ROUTE(HTTP_POST, "/login", web_login, ROLE_PUBLIC),
    ROUTE(HTTP_POST, "/logout", web_logout, ANY),
    ROUTE(HTTP_GET, "/", web_home, ANY),
    ROUTE(HTTP_GET, "/account/password", web_password_form, ANY),
    ROUTE(HTTP_POST, "/account/password", web_password, ANY),

    ROUTE(HTTP_GET, "/admin/users", web_admin_users, ADMIN),
    ROUTE(HTTP_POST, "/admin/users", web_admin_user_add, ADMIN),
    ROUTE(HTTP_POST, "/admin/users/{id}/disable", web_admin_user_disable, ADMIN),
    ROUTE(HTTP_POST, "/admin/users/{id}/enable", web_admin_user_enable, ADMIN),
    ROUTE(HTTP_POST, "/admin/users/{id}/role", web_admin_user_role, ADMIN),
    ROUTE(HTTP_GET, "/admin/audit", web_admin_audit, ADMIN),
};

const size_t web_route_count = BZ_ARRAY_LEN(web_routes);
