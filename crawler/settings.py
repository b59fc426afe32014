"""Scrapy settings for newsarchive: polite by default.

Anything here can be overridden per run (``newsarchive crawl --set NAME=VALUE``)
or in a project's own settings module.
"""

from scrapy.settings import default_settings as _scrapy_defaults

from newsarchive.archive import paths

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["newsarchive.crawler.spiders"]
NEWSPIDER_MODULE = "newsarchive.crawler.spiders"

# Who we are and how to reach us: sites can see and block us by this name.
# Set your own contact (a URL or mailto:) with the environment variable
# NEWSARCHIVE_CONTACT or --set NEWSARCHIVE_CONTACT=...; the user agent follows it.
NEWSARCHIVE_CONTACT = "https://github.com/newsarchive/newsarchive"
USER_AGENT_TEMPLATE = "newsarchive/0.1 (+{contact})"
USER_AGENT = USER_AGENT_TEMPLATE.format(contact=NEWSARCHIVE_CONTACT)

# When to fetch known articles again (see crawler/recheck.py).
NEWSARCHIVE_RECHECK = "3h:15m,1d:1h,7d:6h,30d:1d,*:30d"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 1.0  # seconds; doubled at each retry unless Retry-After says otherwise
RETRY_MAX_DELAY = 120.0   # never wait longer than this for one retry
# No HTTP proxy from the environment (http_proxy, https_proxy): through a proxy, the proxy
# resolves the names and the private-address guard (crawler/resolver.py) cannot see where
# a request really goes. ``--set HTTPPROXY_ENABLED=True`` brings it back, guard unseen.
HTTPPROXY_ENABLED = False
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsarchive.crawler.middlewares.BackoffRetryMiddleware": 550,
    # Downloader side of HttpCompressionMiddleware (590): sees bodies as received.
    "newsarchive.crawler.middlewares.WarcCaptureMiddleware": 950,
}

# Raw capture: every response to WARC (see crawler/middlewares.py).
NEWSARCHIVE_WARC = True
NEWSARCHIVE_WARC_DIR = None  # default: warc/ beside the archive
NEWSARCHIVE_WARC_MAX_BYTES = 100 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# What a news crawl never uses is not even imported: every scheduled crawl pays for
# each import again (the remote-control extension alone pulls in aiohttp). They are left
# out of the base list itself: Scrapy imports every class named in EXTENSIONS, even one
# set to None, to match it with the base list's entries.
_unused_extensions = {
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.feedexport.FeedExporter",
    "scrapy.extensions.memdebug.MemoryDebugger",
    "scrapy.extensions.spiderstate.SpiderState",
}
EXTENSIONS_BASE = {path: order for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
                   if path not in _unused_extensions}
EXTENSIONS: dict[str, int] = {}
# http(s) only: no file:, data:, s3: or ftp: URL is ever fetched, whatever a page links to
DOWNLOAD_HANDLERS = {"s3": None, "ftp": None, "file": None, "data": None}
# The private-address guard at the connection (crawler/resolver.py): every name is resolved
# there and only public addresses are connected to, redirects and robots.txt included.
TWISTED_DNS_RESOLVER = "newsarchive.crawler.resolver.GuardedResolver"
NEWSARCHIVE_ALLOW_PRIVATE = False  # set by --allow-private
NEWSARCHIVE_PRIVATE_NETWORKS = ""  # private networks accepted all the same: "10.1.0.0/16,..."
NEWSARCHIVE_RESOLVE = ""  # fixed addresses for names, as curl's --resolve: "news.example=192.0.2.10,..."
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {"newsarchive.crawler.pipelines.ArchivePipeline": 300}

# Where the archive lives; set by the command line.
NEWSARCHIVE_DB = str(paths.DEFAULT_DB)
