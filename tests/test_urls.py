from newsarchive.archive.urls import canonical_url, same_site


def test_tracking_parameters_and_fragment_dropped():
    url = "HTTPS://News.Example:443/a/b.html?id=7&utm_source=x&fbclid=y&gclid=z#comments"
    assert canonical_url(url) == "https://news.example/a/b.html?id=7"


def test_non_default_port_kept_and_empty_path_made_root():
    assert canonical_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080/"


def test_same_site_ignores_www():
    assert same_site("https://www.example.com/a", "https://example.com/b")
    assert not same_site("https://example.com/a", "https://example.org/a")
