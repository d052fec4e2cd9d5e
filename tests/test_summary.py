"""Run summary helpers: what reaches the runs log from the command line."""

from scrapy.settings import Settings

from crawler.extensions.summary import command_line_settings


def test_only_command_line_settings_are_recorded_and_secrets_are_masked():
    settings = Settings({"DOWNLOAD_DELAY": 0.5}, priority="project")
    settings.set("OUTPUT_DIR", "/data/tca", priority="cmdline")
    settings.set("HTTPPROXY_AUTH_ENCODING", "latin-1", priority="cmdline")
    settings.set("API_TOKEN", "s3cr3t", priority="cmdline")
    recorded = command_line_settings(settings)
    assert recorded == {
        "API_TOKEN": "***",
        "HTTPPROXY_AUTH_ENCODING": "***",
        "OUTPUT_DIR": "/data/tca",
    }
    assert "s3cr3t" not in str(recorded)
