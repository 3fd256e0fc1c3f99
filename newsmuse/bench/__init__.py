"""The benchmark behind `make bench`: a floor view to compare against, an instruction
counter and the HTTP load run. Nothing here is part of the site a reader reaches."""
