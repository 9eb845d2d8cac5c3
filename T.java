import redis.clients.jedis.*;
public class T { public static void main(String[] a) {
  for (boolean name : new boolean[]{false, true}) for (int db : new int[]{0, 2}) {
    var b = DefaultJedisClientConfig.builder().user("mon").password("monpw").database(db);
    if (name) b.clientName("rootcause");
    try (Jedis j = new Jedis(new HostAndPort("127.0.0.1", Integer.parseInt(a[0])), b.build())) {
      System.out.println("name=" + name + " db=" + db + " -> " + j.info().substring(0, 8));
    } catch (Exception e) { System.out.println("name=" + name + " db=" + db + " -> " + e); }
  }
}}
