//! The two APIs' routes, concrete paths, and the status, latency and size of a response.

use super::*;

// Routes, statuses, latencies, sizes

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Class {
    Users,
    Order,
    CreateOrder,
    Products,
    Product,
    Search,
    Login,
    Refresh,
    Health,
    Items,
    Item,
    PutItem,
    DeleteItem,
    CreateItem,
    Unmatched,
}

pub(crate) struct Route {
    pub(crate) api: Api,
    pub(crate) method: &'static str,
    pub(crate) tmpl: &'static str,
    /// No authorizer in front: anonymous callers are served.
    pub(crate) public: bool,
    pub(crate) class: Class,
    /// Relative popularity per client kind: principal, API key, IAM, anonymous.
    pub(crate) weights: [u32; 4],
}

pub(crate) const fn route(
    api: Api,
    method: &'static str,
    tmpl: &'static str,
    public: bool,
    class: Class,
    weights: [u32; 4],
) -> Route {
    Route { api, method, tmpl, public, class, weights }
}

pub(crate) const REST_ROUTES: &[Route] = &[
    route(Api::Rest, "GET", "/users/{id}", false, Class::Users, [12, 4, 4, 1]),
    route(Api::Rest, "GET", "/orders/{orderId}", false, Class::Order, [12, 14, 10, 1]),
    route(Api::Rest, "POST", "/orders", false, Class::CreateOrder, [5, 10, 6, 0]),
    route(Api::Rest, "GET", "/products", true, Class::Products, [15, 22, 4, 35]),
    route(Api::Rest, "GET", "/products/{productId}", true, Class::Product, [20, 30, 4, 25]),
    route(Api::Rest, "GET", "/search", true, Class::Search, [14, 10, 2, 22]),
    route(Api::Rest, "POST", "/auth/login", true, Class::Login, [2, 0, 0, 10]),
    route(Api::Rest, "POST", "/auth/refresh", true, Class::Refresh, [6, 0, 0, 0]),
    route(Api::Rest, "GET", "/health", true, Class::Health, [1, 6, 10, 4]),
];
pub(crate) const HTTP_ROUTES: &[Route] = &[
    route(Api::Http, "GET", "/v2/items", false, Class::Items, [35, 35, 35, 1]),
    route(Api::Http, "GET", "/v2/items/{id}", false, Class::Item, [40, 40, 40, 1]),
    route(Api::Http, "POST", "/v2/items", false, Class::CreateItem, [5, 5, 8, 0]),
    route(Api::Http, "PUT", "/v2/items/{id}", false, Class::PutItem, [15, 15, 12, 0]),
    route(Api::Http, "DELETE", "/v2/items/{id}", false, Class::DeleteItem, [5, 5, 5, 0]),
];
pub(crate) const LOGIN: &Route = &REST_ROUTES[6];
pub(crate) const PRODUCT: &Route = &REST_ROUTES[4];
pub(crate) const ITEM: &Route = &HTTP_ROUTES[1];
pub(crate) const ITEMS: &Route = &HTTP_ROUTES[0];
pub(crate) const PROBE_REST: Route = route(Api::Rest, "GET", "-", true, Class::Unmatched, [0; 4]);
pub(crate) const PROBE_HTTP: Route = route(Api::Http, "GET", "-", true, Class::Unmatched, [0; 4]);

pub(crate) const PROBE_PATHS: &[&str] = &[
    "/.env",
    "/.git/config",
    "/wp-login.php",
    "/admin",
    "/actuator/env",
    "/phpmyadmin/",
    "/.aws/credentials",
    "/config.json",
    "/server-status",
    "/xmlrpc.php",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/api/.env",
    "/backup.zip",
    "/.DS_Store",
    "/actuator/health",
    "/console/",
];

pub(crate) fn pick_route(rng: &mut ChaCha8Rng, api: Api, kind: Kind) -> &'static Route {
    let routes = if api == Api::Rest { REST_ROUTES } else { HTTP_ROUTES };
    let col = kind.col();
    let total: u32 = routes.iter().map(|r| r.weights[col]).sum();
    let (col, total) = if total == 0 { (0, routes.iter().map(|r| r.weights[0]).sum()) } else { (col, total) };
    let mut x = rng.random_range(0..total.max(1));
    for r in routes {
        if x < r.weights[col] {
            return r;
        }
        x -= r.weights[col];
    }
    &routes[0]
}

pub(crate) fn concrete_path(rng: &mut ChaCha8Rng, class: Class, user_num: u32) -> String {
    match class {
        Class::Users => {
            // Mostly one's own profile; support tooling looks up others.
            let id = if rng.random::<f64>() < 0.9 { user_num } else { rng.random_range(1..2_000_000) };
            format!("/users/{id}")
        }
        Class::Order => format!("/orders/{}", rng.random_range(1_000_000_000u64..10_000_000_000)),
        Class::CreateOrder => "/orders".into(),
        Class::Products => "/products".into(),
        Class::Product => {
            // Popularity skewed towards a head of low ids.
            let u = rng.random::<f64>();
            format!("/products/{}", 1000 + (u * u * u * 90_000.0) as u64)
        }
        Class::Search => "/search".into(),
        Class::Login => "/auth/login".into(),
        Class::Refresh => "/auth/refresh".into(),
        Class::Health => "/health".into(),
        Class::Items | Class::CreateItem => "/v2/items".into(),
        Class::Item | Class::PutItem | Class::DeleteItem => {
            format!("/v2/items/{}", alnum(rng, 12, b"0123456789abcdef"))
        }
        Class::Unmatched => "/".into(),
    }
}

pub(crate) fn success_status(r: &Route) -> u16 {
    match r.class {
        Class::CreateOrder | Class::CreateItem => 201,
        Class::DeleteItem => 204,
        _ => 200,
    }
}

pub(crate) fn normal_status(rng: &mut ChaCha8Rng, r: &Route, kind: Kind) -> u16 {
    if kind == Kind::Anon && !r.public {
        return if rng.random::<f64>() < 0.95 { 401 } else { 403 };
    }
    let u = rng.random::<f64>();
    if r.class == Class::Health {
        return if u < 0.9995 { 200 } else { 503 };
    }
    let write = r.method != "GET";
    let has_id = r.tmpl.contains('{');
    let cacheable =
        r.method == "GET" && matches!(r.class, Class::Products | Class::Product | Class::Items | Class::Item);
    let auth_route = matches!(r.class, Class::Login | Class::Refresh);
    let table = [
        (304, if cacheable { 0.05 } else { 0.0 }),
        (404, if has_id { 0.025 } else { 0.002 }),
        (400, if write { 0.02 } else { 0.005 }),
        (
            401,
            match r.class {
                Class::Login => 0.09,
                Class::Refresh => 0.04,
                _ => 0.004,
            },
        ),
        (403, 0.003),
        (409, if write && !auth_route { 0.012 } else { 0.0 }),
        (429, 0.003),
        (500, 0.0015),
        (502, 0.0008),
        (503, 0.0006),
        (504, 0.0005),
    ];
    let mut acc = 0.0;
    for (status, p) in table {
        acc += p;
        if u < acc {
            return status;
        }
    }
    success_status(r)
}

pub(crate) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box-Muller; the max() keeps ln() away from zero.
    let u1 = rng.random::<f64>().max(1e-12);
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

pub(crate) fn lognormal(rng: &mut ChaCha8Rng, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

pub(crate) fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> u64 {
    if lambda.is_nan() || lambda <= 0.0 {
        return 0;
    }
    if lambda < 30.0 {
        // Knuth's method is exact and cheap for small means.
        let limit = (-lambda).exp();
        let mut k = 0u64;
        let mut p = 1.0;
        loop {
            p *= rng.random::<f64>();
            if p <= limit || k >= 1000 {
                return k;
            }
            k += 1;
        }
    }
    (lambda + lambda.sqrt() * normal(rng)).round().max(0.0) as u64
}

pub(crate) fn median_latency(class: Class) -> f64 {
    match class {
        Class::Health => 4.0,
        Class::Users => 35.0,
        Class::Order => 45.0,
        Class::CreateOrder => 120.0,
        Class::Products => 60.0,
        Class::Product => 30.0,
        Class::Search => 85.0,
        Class::Login => 140.0,
        Class::Refresh => 60.0,
        Class::Items => 45.0,
        Class::Item => 25.0,
        Class::PutItem => 40.0,
        Class::DeleteItem => 35.0,
        Class::CreateItem => 50.0,
        Class::Unmatched => 2.0,
    }
}

/// (responseLatency, integrationLatency). `gateway_only` means API Gateway answered by itself.
pub(crate) fn latency(
    rng: &mut ChaCha8Rng,
    r: &Route,
    status: u16,
    gateway_only: bool,
) -> (u64, Option<u64>) {
    if gateway_only {
        return (lognormal(rng, 3.0, 0.5).round().clamp(1.0, 500.0) as u64, None);
    }
    if status == 504 {
        // Integration timeout: 29 s for REST APIs, 30 s for HTTP APIs.
        let limit = if r.api == Api::Rest { 29_000 } else { 30_000 };
        let integ = limit + rng.random_range(0..5);
        return (integ + rng.random_range(5..60), Some(integ));
    }
    let factor = match status {
        500 | 502 => 3.0,
        503 => 0.3,
        304 => 0.8,
        400..=499 => 0.6,
        _ => 1.0,
    };
    let mut ms = lognormal(rng, median_latency(r.class) * factor, 0.6);
    // A ~1% tail (cold starts, slow queries) stretches out to tens of times the median.
    if rng.random::<f64>() < 0.01 {
        ms *= (rng.random::<f64>() * 3.5).exp();
    }
    let total = ms.round().clamp(1.0, 28_999.0) as u64;
    let overhead = rng.random_range(1..=12u64).min(total);
    (total, Some(total - overhead))
}

pub(crate) fn body_bytes(rng: &mut ChaCha8Rng, r: &Route, status: u16) -> u64 {
    // Error sizes are those of API Gateway's own JSON error bodies where it produces them.
    match status {
        204 | 304 => 0,
        400 => rng.random_range(60..180),
        401 => 26,
        403 if r.class == Class::Unmatched => 42, // {"message":"Missing Authentication Token"}
        403 => 23,
        404 if r.class == Class::Unmatched => 23, // {"message":"Not Found"}
        404 => rng.random_range(40..90),
        409 => rng.random_range(70..140),
        429 => 31,
        500 | 502 => 36,
        503 => 34,
        504 => 41,
        s if s >= 400 => rng.random_range(30..120),
        _ => {
            let (median, sigma) = match r.class {
                Class::Health => return 15,
                Class::DeleteItem | Class::Unmatched => return 0,
                Class::Users => (800.0, 0.2),
                Class::Order => (1500.0, 0.35),
                Class::CreateOrder => (450.0, 0.15),
                Class::Products => (12_000.0, 0.6),
                Class::Product => (2000.0, 0.3),
                Class::Search => (8000.0, 0.7),
                Class::Login => (2100.0, 0.05),
                Class::Refresh => (1700.0, 0.05),
                Class::Items => (6000.0, 0.7),
                Class::Item => (600.0, 0.3),
                Class::PutItem | Class::CreateItem => (450.0, 0.25),
            };
            lognormal(rng, median, sigma).round().clamp(2.0, 5_000_000.0) as u64
        }
    }
}

pub(crate) struct Who<'a> {
    pub(crate) ip: &'a str,
    pub(crate) ua: &'a str,
    pub(crate) principal: Option<&'a str>,
    pub(crate) api_key_id: Option<&'a str>,
    pub(crate) caller: Option<&'a str>,
    pub(crate) user_arn: Option<&'a str>,
}

pub(crate) fn build_event(
    rng: &mut ChaCha8Rng,
    time_ms: i64,
    who: &Who,
    r: &Route,
    path: String,
    status: u16,
) -> GenEvent {
    // A 401 on a protected route comes from the authorizer: no principal, no integration call.
    let authorizer_reject = status == 401 && !r.public;
    let gateway_only = authorizer_reject || status == 429 || r.class == Class::Unmatched;
    let (latency_ms, integration_latency_ms) = latency(rng, r, status, gateway_only);
    let bytes = body_bytes(rng, r, status);
    let authorizer_error = authorizer_reject.then(|| {
        if rng.random::<f64>() < 0.3 { "The incoming token has expired" } else { "Unauthorized" }.to_string()
    });
    GenEvent {
        time_ms,
        request_id: uuid(rng),
        api: r.api,
        ip: who.ip.to_string(),
        principal: if authorizer_reject { None } else { who.principal.map(str::to_string) },
        api_key_id: who.api_key_id.map(str::to_string),
        caller: who.caller.map(str::to_string),
        user_arn: who.user_arn.map(str::to_string),
        method: r.method,
        route: r.tmpl,
        path,
        status,
        bytes,
        latency_ms,
        integration_latency_ms,
        user_agent: who.ua.to_string(),
        authorizer_error,
    }
}

pub(crate) fn normal_event(rng: &mut ChaCha8Rng, clients: &[Client], cum: &[f64], time_ms: i64) -> GenEvent {
    let total = cum.last().copied().unwrap_or(0.0);
    let x = rng.random::<f64>() * total;
    let idx = cum.partition_point(|&c| c <= x).min(clients.len().saturating_sub(1));
    let c = &clients[idx];
    let api = match c.kind {
        Kind::ApiKey => Api::Rest,
        Kind::Anon => {
            if rng.random::<f64>() < 0.03 {
                Api::Http
            } else {
                Api::Rest
            }
        }
        _ if rng.random::<f64>() < 0.08 => {
            if c.api == Api::Rest {
                Api::Http
            } else {
                Api::Rest
            }
        }
        _ => c.api,
    };
    let r = pick_route(rng, api, c.kind);
    let path = concrete_path(rng, r.class, c.user_num);
    let status = normal_status(rng, r, c.kind);
    // The first address is home; extra ones (mobile, office) are used less.
    let ip = if c.ips.len() > 1 && rng.random::<f64>() < 0.3 {
        &c.ips[rng.random_range(1..c.ips.len())]
    } else {
        &c.ips[0]
    };
    let who = Who {
        ip,
        ua: c.ua,
        principal: c.principal.as_deref(),
        api_key_id: c.api_key_id.as_deref(),
        caller: c.caller.as_deref(),
        user_arn: c.user_arn.as_deref(),
    };
    build_event(rng, time_ms, &who, r, path, status)
}

// ---------------------------------------------------------------------------------------------
