"""`manage.py check` for media storage (media/checks.py)."""

import importlib.util

from media.checks import check_media_storage


def ids() -> set[str]:
    return {problem.id for problem in check_media_storage()}


def test_a_writable_media_root_passes(settings, tmp_path):
    settings.MEDIA_STORAGE = "filesystem"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert ids() == set()


def test_an_unknown_storage_is_an_error(settings):
    settings.MEDIA_STORAGE = "S3 "
    assert ids() == {"media.E001"}


def test_an_unwritable_media_root_is_an_error(settings, tmp_path):
    blocker = tmp_path / "plik"
    blocker.write_text("not a folder")
    settings.MEDIA_STORAGE = "filesystem"
    settings.MEDIA_ROOT = str(blocker / "media")
    assert ids() == {"media.E004"}


def test_s3_without_a_bucket_is_an_error(settings):
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": ""}},
    }
    expected = {"media.E003"}
    if importlib.util.find_spec("storages") is None:
        expected.add("media.E002")
    assert ids() == expected


def test_s3_with_a_server_that_cannot_be_reached_is_an_error(settings):
    """Nothing listens on port 9 (discard) of the loopback: refused at once."""
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "media.storage.S3MediaStorage",
            "OPTIONS": {
                "bucket_name": "kronika-media",
                "endpoint_url": "http://127.0.0.1:9",
                "access_key": "a",
                "secret_key": "b",
                "region_name": "us-east-1",
            },
        },
    }
    problems = check_media_storage()
    assert [p.id for p in problems] == ["media.E005"]
    assert "cannot be reached" in problems[0].msg
