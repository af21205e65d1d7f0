-- GET /users/{id}: the statement EF Core sends for the product's query (SingleOrDefault reads up to 2 rows; xmin: the ETag).
\set id random(1, :max_id)
SELECT u.id, u.nickname, u.xmin FROM users AS u WHERE u.id = :id LIMIT 2;
