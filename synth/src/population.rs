//! The client population: kinds of caller (Cognito principals, API keys, IAM roles, anonymous),
//! their user agents, and their heavy-tailed activity weights.

use super::*;

// Client population

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Principal,
    ApiKey,
    Iam,
    Anon,
}

impl Kind {
    pub(crate) fn col(self) -> usize {
        match self {
            Kind::Principal => 0,
            Kind::ApiKey => 1,
            Kind::Iam => 2,
            Kind::Anon => 3,
        }
    }
}

pub(crate) struct Client {
    pub(crate) kind: Kind,
    pub(crate) principal: Option<String>,
    pub(crate) api_key_id: Option<String>,
    pub(crate) caller: Option<String>,
    pub(crate) user_arn: Option<String>,
    pub(crate) ips: Vec<String>,
    pub(crate) ua: &'static str,
    pub(crate) api: Api,
    pub(crate) user_num: u32,
}

pub(crate) const CHROME_WIN: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
pub(crate) const CHROME_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
pub(crate) const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
pub(crate) const SAFARI_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
pub(crate) const FIREFOX: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0";
pub(crate) const EDGE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
pub(crate) const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
pub(crate) const IOS_APP: &str = "ShopApp/5.3.1 CFNetwork/1568.200.51 Darwin/24.1.0";
pub(crate) const AWS_SDK_JAVA: &str = "aws-sdk-java/2.29.6 Linux/5.10.228-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.13+11-LTS Java/17.0.13 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy";
pub(crate) const AWS_SDK_JS: &str = "aws-sdk-js/3.693.0 ua/2.1 os/linux#5.10.228-219.884.amzn2.x86_64 lang/js md/nodejs#20.18.0 api/execute-api#3.693.0 exec-env/AWS_Lambda_nodejs20.x";
pub(crate) const BOTO3: &str = "Boto3/1.35.63 md/Botocore#1.35.63 ua/2.0 os/linux#5.10.228-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_ECS_FARGATE cfg/retry-mode#legacy Botocore/1.35.63";
pub(crate) const AWS_SDK_GO: &str =
    "aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/apigateway#1.28.0";

pub(crate) const UA_PRINCIPAL: &[(&str, u32)] = &[
    (CHROME_WIN, 26),
    (CHROME_MAC, 10),
    (SAFARI_IPHONE, 14),
    (SAFARI_MAC, 5),
    (FIREFOX, 5),
    (EDGE, 6),
    (CHROME_ANDROID, 8),
    ("okhttp/4.12.0", 12),
    ("okhttp/4.9.3", 5),
    (IOS_APP, 9),
];
pub(crate) const UA_API_KEY: &[(&str, u32)] = &[
    ("python-requests/2.32.3", 20),
    ("python-requests/2.31.0", 8),
    ("okhttp/4.12.0", 8),
    ("Go-http-client/1.1", 15),
    ("Go-http-client/2.0", 6),
    ("curl/8.5.0", 6),
    ("curl/7.81.0", 4),
    ("axios/1.7.7", 8),
    ("Apache-HttpClient/4.5.14 (Java/17.0.12)", 6),
];
pub(crate) const UA_IAM: &[(&str, u32)] =
    &[(AWS_SDK_JAVA, 25), (AWS_SDK_JS, 25), (BOTO3, 30), (AWS_SDK_GO, 15), ("python-requests/2.32.3", 5)];
pub(crate) const UA_ANON: &[(&str, u32)] = &[
    (CHROME_WIN, 30),
    (CHROME_MAC, 10),
    (SAFARI_IPHONE, 16),
    (FIREFOX, 6),
    (EDGE, 6),
    (CHROME_ANDROID, 12),
    ("curl/8.5.0", 5),
    ("python-requests/2.32.3", 4),
    ("Go-http-client/1.1", 3),
];

pub(crate) const IAM_ROLES: &[(&str, &[&str])] = &[
    ("OrdersSyncLambdaRole", &["orders-sync", "orders-sync-backfill"]),
    ("ReportingTaskRole", &["reporting-worker"]),
    ("InventoryWorkerRole", &["inventory-worker", "inventory-reindex"]),
    ("DataPipelineRole", &["glue-export", "data-pipeline"]),
    ("CiDeployRole", &["GitHubActions"]),
];

pub(crate) fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    if total == 0 {
        return items[0].0;
    }
    let mut x = rng.random_range(0..total);
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

pub(crate) fn alnum(rng: &mut ChaCha8Rng, n: usize, alphabet: &[u8]) -> String {
    (0..n).map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())])).collect()
}
pub(crate) const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
pub(crate) const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

pub(crate) fn uuid(rng: &mut ChaCha8Rng) -> String {
    // Version 4, RFC 4122 variant: what Cognito `sub`s and REST API request ids look like.
    let v =
        (rng.random::<u128>() & !(0xf_u128 << 76) & !(0x3_u128 << 62)) | (0x4_u128 << 76) | (0x2_u128 << 62);
    let h = format!("{v:032x}");
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

pub(crate) fn new_client(rng: &mut ChaCha8Rng) -> Client {
    let u = rng.random::<f64>();
    let kind = match u {
        u if u < 0.45 => Kind::Principal,
        u if u < 0.70 => Kind::ApiKey,
        u if u < 0.80 => Kind::Iam,
        _ => Kind::Anon,
    };
    let home = pick_country(rng);
    let n_ips = pick(rng, &[(1usize, 80), (2, 15), (3, 5)]);
    let v6 = rng.random::<f64>() < 0.06;
    let ips = (0..n_ips).map(|_| ip_from(rng, home, v6)).collect();
    let user_num = rng.random_range(1..2_000_000);
    let mut c = Client {
        kind,
        principal: None,
        api_key_id: None,
        caller: None,
        user_arn: None,
        ips,
        ua: "",
        api: Api::Rest,
        user_num,
    };
    match kind {
        Kind::Principal => {
            c.principal = Some(uuid(rng));
            c.ua = pick(rng, UA_PRINCIPAL);
            c.api = if rng.random::<f64>() < 0.75 { Api::Rest } else { Api::Http };
        }
        Kind::ApiKey => {
            c.api_key_id = Some(alnum(rng, 10, LOWER_ALNUM));
            c.ua = pick(rng, UA_API_KEY);
            // HTTP APIs have no API keys or usage plans, so key holders only ever use REST.
            c.api = Api::Rest;
        }
        Kind::Iam => {
            let (role, sessions) = IAM_ROLES[rng.random_range(0..IAM_ROLES.len())];
            let session = match rng.random_range(0..3) {
                0 => format!("i-0{}", alnum(rng, 16, b"0123456789abcdef")),
                1 => format!("botocore-session-{}", rng.random_range(1_700_000_000u64..1_800_000_000)),
                _ => sessions[rng.random_range(0..sessions.len())].to_string(),
            };
            let role_id = format!("AROA{}", alnum(rng, 17, UPPER_ALNUM));
            c.caller = Some(format!("{role_id}:{session}"));
            c.user_arn = Some(format!("arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}/{session}"));
            c.ua = pick(rng, UA_IAM);
            c.api = if rng.random::<f64>() < 0.75 { Api::Http } else { Api::Rest };
        }
        Kind::Anon => {
            c.ua = pick(rng, UA_ANON);
        }
    }
    c
}

/// Builds the population and the cumulative activity weights used to pick a client per event.
pub(crate) fn population(n: &Norm) -> (Vec<Client>, Vec<f64>) {
    let mut rng = stream_rng(n.seed, STREAM_POPULATION);
    let mut clients = Vec::with_capacity(n.clients);
    let mut cum = Vec::with_capacity(n.clients);
    let mut total = 0.0;
    for i in 0..n.clients {
        clients.push(new_client(&mut rng));
        // Zipf-like activity by generation rank; kinds are drawn independently of rank, so heavy
        // hitters can be any kind. The +5 offset keeps the top client near 3-4% of traffic.
        total += (i as f64 + 5.0).powf(-1.05);
        cum.push(total);
    }
    (clients, cum)
}

// ---------------------------------------------------------------------------------------------
