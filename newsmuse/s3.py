"""Media on S3-compatible object storage (MEDIA_STORAGE=s3), in a module of its own so
that sites storing media on disk never load boto3."""

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as S3ConnectionError
from storages.backends.s3 import S3Storage

from .storage import StorageWriteError

# S3 error codes (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
S3_REASONS = {
    "NoSuchBucket": "the media bucket does not exist",
    "AccessDenied": "the server may not write to the media bucket",
    "InvalidAccessKeyId": "the media storage does not accept the server's access key",
    "SignatureDoesNotMatch": "the media storage does not accept the server's access key",
}


class S3MediaStorage(S3Storage):
    """django-storages' S3 storage (MEDIA_STORAGE=s3), except that a failed write (a missing
    bucket, refused keys, an endpoint that cannot be reached) raises StorageWriteError. S3
    keeps an object only once it is whole, so nothing is left to clean up."""

    def save(self, name, content, max_length=None):
        # save(), not _save(): finding a free name already asks the bucket.
        try:
            return super().save(name, content, max_length)
        except (BotoCoreError, ClientError) as error:
            raise StorageWriteError(f"The file could not be stored: {s3_reason(error)}.") from error


def s3_reason(error: BotoCoreError | ClientError) -> str:
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        return S3_REASONS.get(code, f"the media storage answered {code or 'with an error'}")
    if isinstance(error, S3ConnectionError | HTTPClientError):
        return "the media storage could not be reached"
    return str(error)
