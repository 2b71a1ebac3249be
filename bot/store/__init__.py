"""The database: the connections, the migrations and the SQL the services share."""
